/**
 * Synchronous jobs (Text-to-Speech): admitted, rendered and settled within the request that asks
 * for them, through the same lifecycle as every job. One group commit admits (lock the account,
 * quote, hold the estimate, job row; no concurrency slot), the engine is called outside any
 * transaction, and a second group commit settles the hold at the actual price of the output or
 * voids it (`settle.ts`). Should the process die between the two, the hold expires and the sweep
 * fails the job: it costs nothing. The HTTP edge runs the settling step inside `idempotentWrite`,
 * so the response is stored with the charge; a failed render answers `render_failed` after its
 * hold's release committed.
 */
import type { AppContext, TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import type { Engine, RenderJob, RenderResult } from '../engines/engine.ts';
import { engineByName } from '../engines/engines.ts';
import type { Product } from '../products/product.ts';
import { assert } from '../shared/assert.ts';
import type { JobRow } from './jobs.table.ts';
import { isSynchronous } from './lifecycle.ts';
import { finishJob, HOLD_EXPIRED_FAILURE } from './settle.ts';
import { admitJob, prepareAdmission, type SubmitRequest } from './submit.ts';

export type EngineCall<Output> = { result: RenderResult; output: Output | null };

export type RunNowRequest<Input, Output> = SubmitRequest<Input> & {
  call: (engine: Engine, job: RenderJob<Input>) => EngineCall<Output>;
};

export type StartedJob<Output> = { job: JobRow; noun: string; call: EngineCall<Output> };

/** Checks, admits in its own group commit (the hold is durable), then calls the engine. */
export async function startJobNow<Input, Spec, Output>(
  ctx: AppContext,
  product: Product<Input, Spec>,
  request: RunNowRequest<Input, Output>,
): Promise<StartedJob<Output>> {
  assert(isSynchronous(product.kind), `${product.kind} jobs run within their request`);
  const { account_id, input } = request;
  const admission = await prepareAdmission(ctx.db, product, request);
  const job = await ctx.committer.run((tx) => admitJob(tx, admission), { account_id });
  const call = request.call(engineByName(job.engine), {
    job_id: job.id,
    output_format: job.output_format,
    request: input,
  });
  return { job, noun: product.noun, call };
}

export type SettledJob<Output> =
  | { done: true; job: JobRow; output: Output }
  | { done: false; failure_message: string };

/**
 * Settles a started job at the actual price of its output, or voids its hold (a failure, or a
 * hold that expired meanwhile). Never throws for a failure: the void must commit.
 */
export async function settleJobNow<Output>(
  tx: TxContext,
  started: StartedJob<Output>,
): Promise<SettledJob<Output>> {
  const { call } = started;
  const finished = await finishJob(tx, await lockJob(tx, started.job.id), call.result);
  if (finished === 'completed' && call.output !== null) {
    return { done: true, job: await lockJob(tx, started.job.id), output: call.output };
  }
  const failure = call.result.outcome === 'failed' ? call.result : HOLD_EXPIRED_FAILURE;
  const failure_message = `${failure.failure_message} ${started.noun} ${started.job.id} was not charged.`;
  return { done: false, failure_message };
}

async function lockJob(tx: TxContext, job_id: string): Promise<JobRow> {
  const query = tx.db.selectFrom('jobs').selectAll().where('id', '=', job_id);
  const job = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  assert(job !== undefined, `job ${job_id} exists`);
  return job;
}
