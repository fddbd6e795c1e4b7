/**
 * Synchronous jobs (Text-to-Speech): admitted, rendered and settled within the request that asks
 * for them, through the same lifecycle as every job. One group commit admits (lock the account,
 * quote, hold the estimate, job row; no concurrency slot), the engine is called outside any
 * transaction, and a second group commit settles the hold at the actual price of the output or
 * voids it (`settle.ts`). Should the process die between the two, the hold expires and the sweep
 * fails the job: it costs nothing. A failed render is `render_failed`, after its hold is voided.
 */
import type { AppContext, TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import type { Engine, RenderJob, RenderResult } from '../engines/engine.ts';
import { engineByName } from '../engines/engines.ts';
import type { Product } from '../products/product.ts';
import { assert } from '../shared/assert.ts';
import { jobError } from './errors.ts';
import type { JobRow } from './jobs.table.ts';
import { isSynchronous } from './lifecycle.ts';
import { finishJob, HOLD_EXPIRED_FAILURE } from './settle.ts';
import { admitJob, type SubmitRequest } from './submit.ts';

export type EngineCall<Output> = { result: RenderResult; output: Output | null };

export type RunNowRequest<Input, Output> = SubmitRequest<Input> & {
  call: (engine: Engine, job: RenderJob<Input>) => EngineCall<Output>;
};

/**
 * Admits, renders and settles one job of a synchronous `product`. `also` runs in the settling
 * transaction with the finished job and the engine's output (the caller's record of the outcome,
 * such as an idempotent response), so they commit together.
 */
export async function runJobNow<Input, Spec, Output, T>(
  ctx: AppContext,
  product: Product<Input, Spec>,
  request: RunNowRequest<Input, Output>,
  also: (tx: TxContext, job: JobRow, output: Output) => Promise<T>,
): Promise<T> {
  assert(isSynchronous(product.kind), `${product.kind} jobs run within their request`);
  const { account_id, input } = request;
  const spec = await product.parse(input, { db: ctx.db, account_id });
  const admitted = await ctx.committer.run((tx) =>
    admitJob(tx, { product, account_id, input, spec }),
  );
  const call = request.call(engineByName(admitted.engine), {
    job_id: admitted.id,
    output_format: admitted.output_format,
    request: input,
  });
  const outcome = await ctx.committer.run(async (tx) => {
    const job = await lockJob(tx, admitted.id);
    const finished = await finishJob(tx, job, call.result);
    if (finished !== 'completed' || call.output === null) return { done: false as const };
    return { done: true as const, body: await also(tx, await lockJob(tx, job.id), call.output) };
  });
  if (outcome.done) return outcome.body;
  const failure = call.result.outcome === 'failed' ? call.result : HOLD_EXPIRED_FAILURE;
  throw jobError(
    'render_failed',
    `${failure.failure_message} ${product.noun} ${admitted.id} was not charged.`,
    null,
  );
}

async function lockJob(tx: TxContext, job_id: string): Promise<JobRow> {
  const query = tx.db.selectFrom('jobs').selectAll().where('id', '=', job_id);
  const job = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  assert(job !== undefined, `job ${job_id} exists`);
  return job;
}
