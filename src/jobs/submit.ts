/**
 * Admission of a job of any product. In ONE transaction (a group-commit unit, so concurrent
 * admissions share a commit and a failed one rolls back only its savepoint): lock the account's
 * row, quote the request on the card in effect, take a concurrency slot (shared by every
 * product's jobs in flight), hold the quote's amount on the job's billing pool (`billing/`: the
 * wallet, the web plan's credits or a postpaid account's cap, chosen from the account's billing
 * type and the calling credential; hold id = job id, expiring after `hold_ttl_ms`) and
 * write the job row in its kind's `admitted` status. A request that
 * fails any check writes nothing. `test: true` jobs take a slot but hold nothing; a synchronous
 * kind's job (Text-to-Speech) takes no slot. `admitJob` is one admission's unit; the group
 * committer admits queued admissions together with the same rules (`admission/batch.ts`) and
 * falls back to `admitJob` for what its set-based path does not cover.
 */
import { type Account, getAccount } from '../accounts/accounts.ts';
import { holdOnPool } from '../billing/pool-ops.ts';
import { apiKeyIdOf, type BillingPool, type Credential, poolFor } from '../billing/pools.ts';
import type { AppContext, TxContext } from '../context.ts';
import { engineFor, type ProbedMedia, proberWith } from '../engines/engines.ts';
import { probeAdmissionMedia } from '../engines/probe-admission.ts';
import { checkKeySpendingLimit } from '../key-limits/check.ts';
import { pricingFor } from '../pricing/pricing-for.ts';
import type { PricingReader } from '../pricing/rate-card-store.ts';
import type { AnyProduct, Product } from '../products/product.ts';
import { VIDEO_PRODUCT } from '../products/video.ts';
import { stringifyJson } from '../shared/json.ts';
import { admitInBatch } from './admission/batch.ts';
import { claimSlot, lockAccount } from './concurrency.ts';
import type { JobRow } from './jobs.table.ts';
import { isSynchronous, lifecycleOf } from './lifecycle.ts';
import { type Quote, quoteJob } from './quote.ts';
import type { CreateVideoInput } from './video-input.ts';

export type SubmitRequest<Input> = {
  account_id: string;
  input: Input;
  /** The calling credential (it chooses the billing pool); none for the CLI and internal calls. */
  credential?: Credential | null;
};

/**
 * The rules between fields, checked before any transaction (a 400 naming the param; a product
 * may read the account's own resources a request names, such as its trained looks), and, for a
 * job a remote engine will render, its media sources' durations read from their headers
 * (bounded; an unreadable source is sized by the product's documented maximum): what `admitJob`
 * admits. Writes nothing.
 */
export async function prepareAdmission<Input, Spec>(
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>,
  product: Product<Input, Spec>,
  request: SubmitRequest<Input>,
): Promise<Admission> {
  const scope = { db: ctx.db, account_id: request.account_id };
  const spec = await product.parse(request.input, scope);
  const probed = await probeAdmissionMedia(ctx, { product, input: request.input, spec });
  return {
    product,
    account_id: request.account_id,
    input: request.input,
    spec,
    credential: request.credential ?? null,
    probed,
  };
}

/**
 * Validates, then admits in the next group commit, batched with the other queued admissions
 * (`admission/batch.ts`); resolves with the job once its row is durable. HTTP routes instead admit inside `idempotentWrite`, which stores their response in
 * the same transaction.
 */
export async function submitJob<Input, Spec>(
  ctx: AppContext,
  product: Product<Input, Spec>,
  request: SubmitRequest<Input>,
): Promise<JobRow> {
  const admission = await prepareAdmission(ctx, product, request);
  return admitInBatch(ctx, admission);
}

export function submitVideo(
  ctx: AppContext,
  request: SubmitRequest<CreateVideoInput>,
): Promise<JobRow> {
  return submitJob(ctx, VIDEO_PRODUCT, request);
}

/**
 * Admits several jobs of one request in the caller's transaction (a translation makes one job
 * per output language): all are admitted, or the first refusal (funds, slots) rolls back all.
 */
export async function admitJobs(
  tx: TxContext,
  admissions: readonly Admission[],
): Promise<JobRow[]> {
  const jobs: JobRow[] = [];
  for (const admission of admissions) jobs.push(await admitJob(tx, admission));
  return jobs;
}

/** What `request` would hold if submitted now, and by which rule. Reads; writes nothing. */
export async function quoteFor(
  ctx: AppContext,
  request: { account_id: string; product: AnyProduct; input: unknown },
): Promise<Quote> {
  const scope = { db: ctx.db, account_id: request.account_id };
  const { product, input } = request;
  const spec = await product.parse(input, scope);
  const probed = await probeAdmissionMedia(ctx, { product, input, spec });
  const account = await getAccount(ctx, request.account_id);
  const priced = await priceAdmission(
    ctx,
    { ...request, spec, probed },
    account,
    ctx.clock.now_ms(),
  );
  return priced.quote;
}

/**
 * An admission priced on `account`'s card and override in force at `now_ms` (from the caches),
 * with the engine that will render it: the quote `admitJob`, batch admission and `quoteFor` share.
 */
export async function priceAdmission(
  ctx: PricingReader & Pick<AppContext, 'config'>,
  request: Pick<Admission, 'product' | 'input' | 'spec' | 'probed'>,
  account: Account,
  now_ms: bigint,
): Promise<{ quote: Quote; engine: string; rate_override_id: string | null }> {
  const pricing = await pricingFor(ctx, { account_id: account.id, at_ms: now_ms });
  const engine = engineFor(ctx.config, request.product.kind);
  const prober = proberWith(engine, request.probed);
  const quote = quoteJob(pricing.card, { ...request, account, engine: prober }, ctx.config.limits);
  return { quote, engine: engine.name, rate_override_id: pricing.override_id };
}

export type Admission = {
  product: AnyProduct;
  account_id: string;
  input: unknown;
  spec: unknown;
  /** The container job this job is part of: it takes no slot (its parent holds one). */
  parent_id?: string | null;
  /** Media durations read before the transaction (remote engines only). */
  probed?: ProbedMedia;
  /** Who asked: chooses the billing pool (`poolFor`) and is kept on the job (`api_key_id`). */
  credential?: Credential | null;
  /** The pool to pay from regardless of credential: a child job pays where its parent does. */
  billing_pool?: BillingPool;
};

export async function admitJob(tx: TxContext, request: Admission): Promise<JobRow> {
  const now_ms = tx.clock.now_ms();
  const account = await lockAccount(tx, request.account_id);
  const { quote, engine, rate_override_id } = await priceAdmission(tx, request, account, now_ms);
  const credential = request.credential ?? null;
  const pool = request.billing_pool ?? poolFor(account.billing_type, credential);
  // A session's video runs in its session's slot; a synchronous job (speech) takes none.
  if (request.parent_id == null && !isSynchronous(request.product.kind)) {
    await claimSlot(tx, account, pool);
  }
  const id = tx.ids.newId(request.product.id_prefix);
  const holdTtlMs = tx.config.limits.hold_ttl_ms;
  const holds = !quote.test && request.product.container !== true;
  const api_key_id = apiKeyIdOf(credential);
  if (holds) {
    await checkKeySpendingLimit(tx, { api_key_id, amount_micro_usd: quote.hold_amount_micro_usd });
    await holdOnPool(tx, {
      pool,
      account_id: account.id,
      hold_id: id,
      amount_micro_usd: quote.hold_amount_micro_usd,
      timeout_ms: holdTtlMs,
      api_key_id,
      usage: quote.usage,
      estimated_duration_ms: quote.estimated_duration_ms,
    });
  }
  const row = newJobRow({
    id,
    now_ms,
    hold_ttl_ms: holdTtlMs,
    quote,
    holds,
    rate_override_id,
    request,
    engine,
    billing_pool: pool,
    api_key_id,
  });
  await tx.db.insertInto('jobs').values(row).execute();
  return row;
}

/**
 * The row `admitJob` inserts (batch admission builds the same rows). A job that holds nothing
 * (`holds` false) records a hold of 0, whatever its quote.
 */
export function newJobRow(parts: {
  id: string;
  now_ms: bigint;
  hold_ttl_ms: bigint;
  quote: Quote;
  holds: boolean;
  rate_override_id: string | null;
  request: Admission;
  engine: string;
  billing_pool: BillingPool;
  api_key_id: string | null;
}): JobRow {
  const { quote, request } = parts;
  const facts = request.product.facts(request.input, request.spec);
  return {
    id: parts.id,
    account_id: request.account_id,
    kind: request.product.kind,
    product: quote.usage.product,
    // Admission is the one insert of a job; every later status is a `transitionJob`.
    status: lifecycleOf(request.product.kind).admitted,
    title: facts.title,
    request_json: stringifyJson(request.input),
    usage_json: stringifyJson(quote.usage),
    rate_card_version: quote.rate_card_version,
    rate_override_id: parts.rate_override_id,
    sku: quote.sku,
    estimate_rule: quote.estimate_rule,
    estimated_duration_ms: quote.estimated_duration_ms,
    hold_amount_micro_usd: parts.holds ? quote.hold_amount_micro_usd : 0n,
    charged_amount_micro_usd: null,
    duration_ms: null,
    output_format: facts.output_format,
    callback_url: facts.callback_url,
    callback_id: facts.callback_id,
    test: quote.test ? 1n : 0n,
    engine: parts.engine,
    failure_code: null,
    failure_message: null,
    video_url: null,
    thumbnail_url: null,
    gif_url: null,
    captioned_video_url: null,
    subtitle_url: null,
    group_id: facts.group_id ?? null,
    created_at_ms: parts.now_ms,
    started_at_ms: null,
    ready_at_ms: null,
    completed_at_ms: null,
    hold_expires_at_ms: parts.holds ? parts.now_ms + parts.hold_ttl_ms : null,
    deleted_at_ms: null,
    parent_id: request.parent_id ?? null,
    billing_pool: parts.billing_pool,
    api_key_id: parts.api_key_id,
  };
}
