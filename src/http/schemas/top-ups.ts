/**
 * Top-up request and response shapes: `amount_usd` is a decimal USD string (`"25.00"`) or a JSON
 * number of dollars, exact to the cent; a top-up renders its status (`payments/top-up-state.ts`),
 * its amounts as decimal strings and micro-USD, and its dates as ISO 8601 and epoch ms.
 */
import { Type } from 'typebox';
import type { TopUpRow } from '../../payments/payments.table.ts';
import { topUpStatus } from '../../payments/top-up-state.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { ID } from './bounds.ts';
import { isoOf } from './render.ts';

export const CreateTopUpBody = Type.Object(
  {
    amount_usd: Type.Union([
      Type.String({ minLength: 1, maxLength: 40 }),
      Type.Number({ minimum: 0, maximum: 1_000_000_000 }),
    ]),
  },
  { additionalProperties: false },
);

export const TopUpIdParams = Type.Object({ top_up_id: Type.String(ID) });

export function renderTopUp(row: TopUpRow) {
  const status = topUpStatus(row);
  return {
    id: row.id,
    status,
    amount_usd: formatMicroUsd(row.amount_micro_usd),
    amount_micro_usd: row.amount_micro_usd,
    checkout_url: status === 'pending' ? row.checkout_url : null,
    refunded_usd: formatMicroUsd(row.refunded_micro_usd),
    reversed_usd: formatMicroUsd(row.reversed_micro_usd),
    reversed_micro_usd: row.reversed_micro_usd,
    dispute_status: row.dispute_state,
    created_at: isoOf(row.created_at_ms),
    created_at_ms: row.created_at_ms,
    credited_at: row.credited_at_ms === null ? null : isoOf(row.credited_at_ms),
    updated_at: isoOf(row.updated_at_ms),
  };
}
