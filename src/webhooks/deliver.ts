/**
 * One tick of webhook delivery: fan out new outbox events (`dispatchEvents`), claim due
 * attempts (`claimDueAttempts`), send them, signed, through the outbound guard
 * (`net/outbound.ts`, re-checked on every try and every redirect, bounded in time and size),
 * and record each result under its claim. Sending happens outside any transaction; the claims
 * are heads of distinct ordering keys, so sending them at once keeps every key in order.
 */
import { type AppContext, withTransaction } from '../context.ts';
import { fetchOutbound } from '../net/outbound.ts';
import { DomainError } from '../shared/errors.ts';
import type { OutcomeCounts } from '../shared/outcome-counts.ts';
import {
  type AttemptRecorded,
  type AttemptResult,
  type ClaimedAttempt,
  claimDueAttempts,
  finishAttempt,
} from './attempts.ts';
import { dispatchEvents } from './deliveries.ts';
import { signDelivery } from './sign.ts';

/** Runs one bounded tick; returns the events dispatched plus the attempts made. */
export async function runWebhookTick(ctx: AppContext): Promise<number> {
  const limit = ctx.config.limits.webhook_batch_size;
  const dispatched = await withTransaction(ctx, (tx) => dispatchEvents(tx, { limit }));
  const claimed = await withTransaction(ctx, (tx) => claimDueAttempts(tx, { limit }));
  await Promise.all(
    claimed.map(async (attempt) => {
      const result = await sendAttempt(ctx, attempt);
      const recorded = await withTransaction(ctx, (tx) => finishAttempt(tx, attempt, result));
      if (recorded !== null) countAttempt(ctx.counts, result, recorded);
    }),
  );
  return dispatched + claimed.length;
}

/** Counts a recorded attempt, after its commit (`shared/outcome-counts.ts`). */
function countAttempt(counts: OutcomeCounts, result: AttemptResult, recorded: AttemptRecorded) {
  const status = result.response_status;
  const outcome =
    status === null ? 'no_response' : status >= 200 && status < 300 ? 'delivered' : 'http_error';
  counts.webhook_attempts[outcome] += 1;
  if (recorded.given_up) counts.webhook_deliveries_failed += 1;
  if (recorded.endpoint_disabled) counts.webhook_endpoints_disabled += 1;
}

/** Sends one claimed attempt; any outcome is a result to record, never a throw. */
export async function sendAttempt(
  ctx: AppContext,
  attempt: ClaimedAttempt,
): Promise<AttemptResult> {
  const headers = signDelivery(attempt.secret, {
    event_id: attempt.event_id,
    sent_at_ms: ctx.clock.now_ms(),
    body: attempt.body,
  });
  try {
    const response = await fetchOutbound(
      ctx.config,
      attempt.url,
      { method: 'POST', headers, body: attempt.body },
      {
        timeout_ms: ctx.config.limits.webhook_timeout_ms,
        max_bytes: ctx.config.limits.webhook_response_bytes_max,
      },
    );
    return { response_status: response.status, error: null };
  } catch (err) {
    if (err instanceof DomainError)
      return { response_status: null, error: `${err.code}: ${err.message}` };
    ctx.log.error({ err, delivery_id: attempt.delivery_id }, 'webhook attempt failed unexpectedly');
    return { response_status: null, error: 'internal_error' };
  }
}
