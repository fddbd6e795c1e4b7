/**
 * Counters of webhook and payment outcomes, read at scrape time from the process's plain counts
 * (`shared/outcome-counts.ts`, added to after each outcome's commit), so the paths that produce
 * them pay one integer increment. Names follow the others: `tollgate_` prefix, `_total` counters.
 */
import { Counter, type Registry } from 'prom-client';
import {
  AUTO_RELOAD_OUTCOMES,
  type OutcomeCounts,
  TOP_UP_OUTCOMES,
  WEBHOOK_ATTEMPT_OUTCOMES,
} from '../shared/outcome-counts.ts';

export function registerOutcomeCounters(registry: Registry, counts: OutcomeCounts): void {
  const registers = [registry];
  labelled(registers, {
    name: 'tollgate_webhook_attempts_total',
    help: 'Webhook and callback delivery attempts, by outcome: delivered (2xx), http_error (another status), no_response (timeout, network, refused URL)',
    outcomes: WEBHOOK_ATTEMPT_OUTCOMES,
    read: () => counts.webhook_attempts,
  });
  plain(registers, {
    name: 'tollgate_webhook_deliveries_failed_total',
    help: 'Webhook and callback deliveries given up after their last attempt',
    read: () => counts.webhook_deliveries_failed,
  });
  plain(registers, {
    name: 'tollgate_webhook_endpoints_disabled_total',
    help: 'Webhook endpoints disabled for failing too many times in a row',
    read: () => counts.webhook_endpoints_disabled,
  });
  labelled(registers, {
    name: 'tollgate_top_ups_total',
    help: 'Checkout top-ups by outcome: completed (credited) or failed (payment failed, session expired)',
    outcomes: TOP_UP_OUTCOMES,
    read: () => counts.top_ups,
  });
  labelled(registers, {
    name: 'tollgate_auto_reloads_total',
    help: 'Auto-reloads closed, by outcome: succeeded (charged and credited) or failed',
    outcomes: AUTO_RELOAD_OUTCOMES,
    read: () => counts.auto_reloads,
  });
}

function labelled<O extends string>(
  registers: Registry[],
  spec: { name: string; help: string; outcomes: readonly O[]; read: () => Record<O, number> },
): void {
  new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: ['outcome'] as const,
    registers,
    collect() {
      const values = spec.read();
      this.reset();
      for (const outcome of spec.outcomes) this.inc({ outcome }, values[outcome]);
    },
  });
}

function plain(
  registers: Registry[],
  spec: { name: string; help: string; read: () => number },
): void {
  new Counter({
    name: spec.name,
    help: spec.help,
    registers,
    collect() {
      this.reset();
      this.inc(spec.read());
    },
  });
}
