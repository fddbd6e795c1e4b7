/**
 * Admission of a video job. In ONE transaction (a group-commit unit, so concurrent admissions
 * share a commit and a failed one rolls back only its savepoint): lock the account's row, check
 * its concurrency slot, quote the request on the card in effect, hold the quote's amount on the
 * wallet (hold id = job id, expiring after `hold_ttl_ms`) and write the job row. A request that
 * fails any check writes nothing. `test: true` jobs take a slot but hold nothing.
 */
import { type Account, toAccount } from '../accounts/accounts.ts';
import type { AppContext, TxContext } from '../context.ts';
import { lockRowsForUpdate } from '../db/dialect.ts';
import { DEFAULT_ENGINE } from '../engines/engines.ts';
import { pricingFor } from '../pricing/pricing-for.ts';
import { assert } from '../shared/assert.ts';
import { DomainError } from '../shared/errors.ts';
import { stringifyJson } from '../shared/json.ts';
import { holdFunds } from '../wallets/holds.ts';
import type { JobErrorCode } from './errors.ts';
import type { JobRow } from './jobs.table.ts';
import { IN_FLIGHT_STATUSES } from './jobs.ts';
import { type Quote, quoteSpec } from './quote.ts';
import type { CreateVideoInput } from './video-input.ts';
import { parseVideoInput, type VideoSpec } from './video-spec.ts';

/** Retry-After when every slot is taken by a job whose end is not yet known. */
const RETRY_AFTER_S_DEFAULT = 5;
const RETRY_AFTER_S_MAX = 60;

export type SubmitVideoRequest = { account_id: string; input: CreateVideoInput };

/**
 * Validates, then admits in the next group commit. Resolves once the job row is durable.
 * `also` runs in the same transaction right after admission (the caller's record of the
 * outcome, such as an idempotent response), so the two commit or roll back together.
 */
export async function submitVideo<T>(
  ctx: AppContext,
  request: SubmitVideoRequest,
  also: (tx: TxContext, job: JobRow) => Promise<T>,
): Promise<T> {
  const spec = parseVideoInput(request.input);
  return ctx.committer.run(async (tx) => also(tx, await admitJob(tx, { ...request, spec })));
}

export async function admitJob(
  tx: TxContext,
  request: SubmitVideoRequest & { spec: VideoSpec },
): Promise<JobRow> {
  const now_ms = tx.clock.now_ms();
  const account = await lockAccount(tx, request.account_id);
  const pricing = await pricingFor(tx.db, { account_id: account.id, at_ms: now_ms });
  const quote = quoteSpec(pricing.card, request.spec, account, tx.config.limits);
  await claimSlot(tx, account);
  const id = tx.ids.newId('video');
  const holdTtlMs = tx.config.limits.hold_ttl_ms;
  if (!quote.test) {
    await holdFunds(tx, {
      account_id: account.id,
      hold_id: id,
      amount_micro_usd: quote.hold_amount_micro_usd,
      timeout_ms: holdTtlMs,
    });
  }
  const row = newJobRow({
    id,
    account_id: account.id,
    now_ms,
    hold_ttl_ms: holdTtlMs,
    quote,
    rate_override_id: pricing.override_id,
    request,
  });
  await tx.db.insertInto('jobs').values(row).execute();
  return row;
}

function newJobRow(parts: {
  id: string;
  account_id: string;
  now_ms: bigint;
  hold_ttl_ms: bigint;
  quote: Quote;
  rate_override_id: string | null;
  request: { input: CreateVideoInput; spec: VideoSpec };
}): JobRow {
  const { quote, request } = parts;
  const input = request.input;
  return {
    id: parts.id,
    account_id: parts.account_id,
    product: quote.usage.product,
    status: 'pending',
    title: input.title ?? null,
    request_json: stringifyJson(input),
    usage_json: stringifyJson(quote.usage),
    rate_card_version: quote.rate_card_version,
    rate_override_id: parts.rate_override_id,
    sku: quote.sku,
    estimate_rule: quote.estimate_rule,
    estimated_duration_ms: quote.estimated_duration_ms,
    hold_amount_micro_usd: quote.hold_amount_micro_usd,
    charged_amount_micro_usd: null,
    duration_ms: null,
    output_format: request.spec.output_format,
    callback_url: input.callback_url ?? null,
    callback_id: input.callback_id ?? null,
    test: quote.test ? 1n : 0n,
    engine: DEFAULT_ENGINE.name,
    failure_code: null,
    failure_message: null,
    video_url: null,
    thumbnail_url: null,
    gif_url: null,
    captioned_video_url: null,
    subtitle_url: null,
    created_at_ms: parts.now_ms,
    started_at_ms: null,
    ready_at_ms: null,
    completed_at_ms: null,
    hold_expires_at_ms: quote.test ? null : parts.now_ms + parts.hold_ttl_ms,
    deleted_at_ms: null,
  };
}

/** Locks the account's row so concurrent admissions of one account count slots one at a time. */
async function lockAccount(tx: TxContext, account_id: string): Promise<Account> {
  const query = tx.db.selectFrom('accounts').selectAll().where('id', '=', account_id);
  const row = await lockRowsForUpdate(tx.dialect, query).executeTakeFirst();
  assert(row !== undefined, `an authenticated account ${account_id} exists`);
  return toAccount(row, tx.config.limits.concurrent_jobs_default);
}

/** Throws `concurrency_limit_reached` (with `retry_after_s`) when every slot is in use. */
async function claimSlot(tx: TxContext, account: Account): Promise<void> {
  const inFlight = await tx.db
    .selectFrom('jobs')
    .select([
      (eb) => eb.fn.countAll<bigint>().as('count'),
      (eb) => eb.fn.min('ready_at_ms').as('soonest_ms'),
    ])
    .where('account_id', '=', account.id)
    .where('status', 'in', IN_FLIGHT_STATUSES)
    .executeTakeFirstOrThrow();
  if (BigInt(inFlight.count) < BigInt(account.concurrency_limit)) return;
  throw new DomainError<JobErrorCode>(
    'concurrency_limit_reached',
    `Too many requests: ${account.concurrency_limit} videos are already in progress, the most ` +
      'this account may run at once. Retry after the duration specified in the Retry-After header.',
    {
      details: {
        concurrency_limit: account.concurrency_limit,
        retry_after_s: retryAfterS(tx.clock.now_ms(), inFlight.soonest_ms),
      },
    },
  );
}

/** Seconds until the soonest job in flight is due, within [1, 60]; a default when none is. */
function retryAfterS(now_ms: bigint, soonest_ms: bigint | null): number {
  if (soonest_ms === null) return RETRY_AFTER_S_DEFAULT;
  const seconds = Number((soonest_ms - now_ms + 999n) / 1000n);
  return Math.min(RETRY_AFTER_S_MAX, Math.max(1, seconds));
}
