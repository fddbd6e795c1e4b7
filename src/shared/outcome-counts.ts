/**
 * Counts of business outcomes this process has seen since it started (webhook attempts, endpoints
 * disabled, top-ups, auto-reloads): plain numbers in the context, read by the metrics at scrape
 * time (`metrics/outcome-counters.ts`), as `tollgate_idempotency_keys_in_flight` is. Domain code
 * adds to them only AFTER the transaction that made the outcome has committed, so a transaction
 * retried or rolled back never counts twice. Per process: Prometheus sums the nodes.
 */

export const WEBHOOK_ATTEMPT_OUTCOMES = ['delivered', 'http_error', 'no_response'] as const;
export type WebhookAttemptOutcome = (typeof WEBHOOK_ATTEMPT_OUTCOMES)[number];
export const TOP_UP_OUTCOMES = ['completed', 'failed'] as const;
export type TopUpOutcome = (typeof TOP_UP_OUTCOMES)[number];
export const AUTO_RELOAD_OUTCOMES = ['succeeded', 'failed'] as const;
export type AutoReloadOutcome = (typeof AUTO_RELOAD_OUTCOMES)[number];

export type OutcomeCounts = {
  /** Webhook and callback attempts recorded, by outcome (a 2xx, another status, no response). */
  webhook_attempts: Record<WebhookAttemptOutcome, number>;
  /** Deliveries given up after their last attempt. */
  webhook_deliveries_failed: number;
  /** Endpoints disabled for failing `webhook_endpoint_failures_max` times in a row. */
  webhook_endpoints_disabled: number;
  /** Checkout top-ups credited (`completed`) or ended unpaid (`failed`: failed or expired). */
  top_ups: Record<TopUpOutcome, number>;
  /** Auto-reloads closed, by outcome. */
  auto_reloads: Record<AutoReloadOutcome, number>;
};

export function createOutcomeCounts(): OutcomeCounts {
  return {
    webhook_attempts: { delivered: 0, http_error: 0, no_response: 0 },
    webhook_deliveries_failed: 0,
    webhook_endpoints_disabled: 0,
    top_ups: { completed: 0, failed: 0 },
    auto_reloads: { succeeded: 0, failed: 0 },
  };
}
