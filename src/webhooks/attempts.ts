/**
 * Claiming and closing delivery attempts, so several nodes never make one attempt twice. A node
 * claims a due delivery with a conditional update (`where status = … and attempts = …`; on
 * PostgreSQL the candidates are read `FOR UPDATE SKIP LOCKED`), which moves it to `sending`
 * with a fresh `claim_id` and a lease, and inserts its attempt row, unique per (delivery,
 * attempt number). Only the head of each `ordering_key` (its oldest open delivery) is due, so
 * one job's events reach an endpoint in order. The result is recorded only under the claim that
 * made the attempt: a node that outlived its lease (another node took the delivery over) has its
 * late result ignored. A failure schedules the next try after an exponential backoff with
 * jitter, up to `webhook_attempts_max` tries; an endpoint that fails
 * `webhook_endpoint_failures_max` attempts in a row is disabled, with an event saying so.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { lockRowsSkipLocked } from '../db/dialect.ts';
import { recordEvent } from '../events/events.ts';
import { callbackSecretOf } from './deliveries.ts';
import type { WebhookDeliveryRow } from './webhooks.table.ts';

/** One claimed attempt: what to send where, and the claim that may record its result. */
export type ClaimedAttempt = {
  delivery_id: string;
  claim_id: string;
  attempt: bigint;
  endpoint_id: string | null;
  url: string;
  secret: string;
  event_id: string;
  body: string;
};

export type AttemptResult = { response_status: number | null; error: string | null };

/** Longest error text kept in the delivery log. */
const ERROR_CHARS_MAX = 500;

/** Claims up to `limit` due deliveries (heads of their ordering keys) for this node. */
export async function claimDueAttempts(
  tx: TxContext,
  options: { limit: number },
): Promise<ClaimedAttempt[]> {
  const now = tx.clock.now_ms();
  const candidates = await lockRowsSkipLocked(
    tx.dialect,
    tx.db
      .selectFrom('webhook_deliveries as d')
      .selectAll('d')
      .where((eb) =>
        eb.or([
          eb.and([eb('d.status', '=', 'pending'), eb('d.next_attempt_at_ms', '<=', now)]),
          eb.and([eb('d.status', '=', 'sending'), eb('d.lease_expires_at_ms', '<=', now)]),
        ]),
      )
      .where((eb) => eb.not(eb.exists(earlierOpen(eb))))
      .where((eb) =>
        eb.or([
          eb('d.endpoint_id', 'is', null),
          eb.exists(
            eb
              .selectFrom('webhook_endpoints as w')
              .select('w.id')
              .whereRef('w.id', '=', 'd.endpoint_id')
              .where('w.status', '=', 'enabled'),
          ),
        ]),
      )
      .orderBy('d.next_attempt_at_ms')
      .limit(options.limit),
  ).execute();
  const claimed: ClaimedAttempt[] = [];
  for (const delivery of candidates) {
    const attempt = await claimOne(tx, delivery);
    if (attempt !== null) claimed.push(attempt);
  }
  return claimed;
}

/** An open delivery of the same key that comes before `d` (then `d` must wait). */
function earlierOpen(eb: ExpressionBuilder<DB & { d: WebhookDeliveryRow }, 'd'>) {
  return eb
    .selectFrom('webhook_deliveries as e')
    .select('e.id')
    .whereRef('e.ordering_key', '=', 'd.ordering_key')
    .where('e.status', 'in', ['pending', 'sending'])
    .where(
      sql<boolean>`(e.event_created_at_ms < d.event_created_at_ms or (e.event_created_at_ms = d.event_created_at_ms and e.id < d.id))`,
    );
}

async function claimOne(
  tx: TxContext,
  delivery: WebhookDeliveryRow,
): Promise<ClaimedAttempt | null> {
  const now = tx.clock.now_ms();
  const claim_id = tx.ids.newId('claim');
  const attempt = delivery.attempts + 1n;
  const result = await tx.db
    .updateTable('webhook_deliveries')
    .set({
      status: 'sending',
      claim_id,
      lease_expires_at_ms: now + BigInt(tx.config.limits.webhook_claim_lease_ms),
      attempts: attempt,
    })
    .where('id', '=', delivery.id)
    .where('status', '=', delivery.status)
    .where('attempts', '=', delivery.attempts)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) return null;
  const target = await targetOf(tx, delivery);
  await tx.db
    .insertInto('webhook_attempts')
    .values({
      id: tx.ids.newId('wha'),
      delivery_id: delivery.id,
      attempt,
      url: target.url,
      started_at_ms: now,
      finished_at_ms: null,
      response_status: null,
      error: null,
    })
    .execute();
  const event = await tx.db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('id', '=', delivery.event_id)
    .executeTakeFirstOrThrow();
  const body = `{"event_type":${JSON.stringify(event.type)},"event_data":${event.payload}}`;
  return {
    delivery_id: delivery.id,
    claim_id,
    attempt,
    endpoint_id: delivery.endpoint_id,
    event_id: delivery.event_id,
    body,
    ...target,
  };
}

async function targetOf(tx: TxContext, delivery: WebhookDeliveryRow) {
  if (delivery.endpoint_id === null) {
    return {
      url: delivery.callback_url!,
      secret: await callbackSecretOf(tx, delivery.account_id),
    };
  }
  return tx.db
    .selectFrom('webhook_endpoints')
    .select(['url', 'secret'])
    .where('id', '=', delivery.endpoint_id)
    .executeTakeFirstOrThrow();
}

/** What recording an attempt changed beyond the attempt itself (for the outcome counts). */
export type AttemptRecorded = { given_up: boolean; endpoint_disabled: boolean };

/**
 * Records an attempt's result under its claim: delivered on a 2xx, else retried later or given
 * up at the attempt ceiling; null if the claim was lost (the result is then ignored).
 */
export async function finishAttempt(
  tx: TxContext,
  claimed: ClaimedAttempt,
  result: AttemptResult,
): Promise<AttemptRecorded | null> {
  const now = tx.clock.now_ms();
  const error = result.error === null ? null : result.error.slice(0, ERROR_CHARS_MAX);
  await tx.db
    .updateTable('webhook_attempts')
    .set({ finished_at_ms: now, response_status: toBigInt(result.response_status), error })
    .where('delivery_id', '=', claimed.delivery_id)
    .where('attempt', '=', claimed.attempt)
    .execute();
  const ok =
    result.response_status !== null &&
    result.response_status >= 200 &&
    result.response_status < 300;
  const limits = tx.config.limits;
  const lastTry = claimed.attempt >= BigInt(limits.webhook_attempts_max);
  const applied = await tx.db
    .updateTable('webhook_deliveries')
    .set(
      ok
        ? { status: 'delivered', delivered_at_ms: now, claim_id: null, lease_expires_at_ms: null }
        : {
            status: lastTry ? 'failed' : 'pending',
            next_attempt_at_ms: now + retryDelayMs(tx, claimed.attempt),
            last_error: error ?? `HTTP ${result.response_status}`,
            claim_id: null,
            lease_expires_at_ms: null,
          },
    )
    .where('id', '=', claimed.delivery_id)
    .where('claim_id', '=', claimed.claim_id)
    .executeTakeFirst();
  if (applied.numUpdatedRows !== 1n) return null;
  const endpoint_disabled =
    claimed.endpoint_id !== null && (await countEndpointResult(tx, claimed.endpoint_id, ok));
  return { given_up: !ok && lastTry, endpoint_disabled };
}

/** Backoff after try `attempt`: base × 2^(attempt−1), capped, then between half and all of it. */
export function retryDelayMs(tx: Pick<TxContext, 'config' | 'ids'>, attempt: bigint): bigint {
  const limits = tx.config.limits;
  const exponent = Math.min(Number(attempt) - 1, 30);
  const full = Math.min(
    limits.webhook_retry_delay_ms * 2 ** exponent,
    limits.webhook_retry_delay_ms_max,
  );
  const fraction = Buffer.from(tx.ids.newSecret(4), 'base64url').readUInt32BE(0) / 2 ** 32;
  return BigInt(Math.ceil(full / 2 + (fraction * full) / 2));
}

/** Counts the result on the endpoint; true when this failure disabled it. */
async function countEndpointResult(
  tx: TxContext,
  endpoint_id: string,
  ok: boolean,
): Promise<boolean> {
  if (ok) {
    await tx.db
      .updateTable('webhook_endpoints')
      .set({ failures_consecutive: 0n })
      .where('id', '=', endpoint_id)
      .execute();
    return false;
  }
  const endpoint = await tx.db
    .updateTable('webhook_endpoints')
    .set((eb) => ({ failures_consecutive: eb('failures_consecutive', '+', 1n) }))
    .where('id', '=', endpoint_id)
    .returning(['account_id', 'failures_consecutive', 'status', 'url'])
    .executeTakeFirstOrThrow();
  const max = BigInt(tx.config.limits.webhook_endpoint_failures_max);
  if (endpoint.status !== 'enabled' || endpoint.failures_consecutive < max) return false;
  const disabled = await tx.db
    .updateTable('webhook_endpoints')
    .set({ status: 'disabled', disabled_reason: 'failing', updated_at_ms: tx.clock.now_ms() })
    .where('id', '=', endpoint_id)
    .where('status', '=', 'enabled')
    .executeTakeFirst();
  if (disabled.numUpdatedRows !== 1n) return false;
  await recordEvent(tx, {
    type: 'webhook_endpoint.disabled',
    account_id: endpoint.account_id,
    entity_id: endpoint_id,
    payload: {
      endpoint_id,
      url: endpoint.url,
      reason: 'failing',
      failures_consecutive: endpoint.failures_consecutive,
    },
  });
  return true;
}

function toBigInt(value: number | null): bigint | null {
  return value === null ? null : BigInt(value);
}
