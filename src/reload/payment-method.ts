/**
 * The payment method auto-reload charges: the one saved at the customer's last Checkout top-up,
 * with the Stripe customer it belongs to (`payments/customers.ts`); null when there is none.
 */
export {
  type SavedPaymentMethod,
  savedPaymentMethodOf as paymentMethodForReload,
} from '../payments/customers.ts';
