/**
 * `tollgate webhooks deliveries|redeliver <event_id>`: an event's delivery log (every delivery
 * and attempt, `webhooks/delivery-log.ts`) and the operator's manual redelivery, to one endpoint
 * (`--endpoint`) or to every subscribed endpoint and callback URL (`webhooks/deliveries.ts`).
 * `--json` prints the result as JSON.
 */
import type { Command } from 'commander';
import { withTransaction } from '../../context.ts';
import { redeliverEvent } from '../../webhooks/deliveries.ts';
import { listEventDeliveries } from '../../webhooks/delivery-log.ts';
import { type CliDeps, runCommand } from '../deps.ts';

export function registerWebhookCommands(program: Command, deps: CliDeps): void {
  const webhooks = program.command('webhooks').description('webhook deliveries');
  webhooks
    .command('deliveries <event_id>')
    .description("an event's deliveries and every attempt, oldest first")
    .option('--json', 'print JSON')
    .action(async (event_id: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const rows = await listEventDeliveries(ctx.db, { event_id, account_id: null });
        const text = rows
          .map((row) => {
            const target = row.endpoint_id ?? row.callback_url;
            const tries = row.attempt_log
              .map((a) => `  #${a.attempt} ${a.response_status ?? '-'} ${a.error ?? ''}\n`)
              .join('');
            return `${row.id} ${row.status} to ${target} (${row.attempts} attempts)\n${tries}`;
          })
          .join('');
        return { value: rows, text };
      });
    });

  webhooks
    .command('redeliver <event_id>')
    .description('send an event again (same webhook-id, so receivers can deduplicate)')
    .option('--endpoint <endpoint_id>', 'only to this endpoint')
    .option('--json', 'print JSON')
    .action(async (event_id: string, options: { endpoint?: string; json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const input = {
          event_id,
          account_id: null,
          ...(options.endpoint === undefined ? {} : { endpoint_id: options.endpoint }),
        };
        const deliveries = await withTransaction(ctx, (tx) => redeliverEvent(tx, input));
        return {
          value: { event_id, deliveries },
          text: `queued ${deliveries} deliveries of ${event_id}\n`,
        };
      });
    });
}
