/** Codes of the payments domain (top-ups bought with Stripe, its webhook). */
export type PaymentErrorCode =
  /** No `STRIPE_SECRET_KEY`: top-ups are not offered; an operator funds wallets by hand. */
  | 'payments_not_configured'
  /** The top-up amount is below the minimum, above the maximum or not whole cents. */
  | 'top_up_amount_invalid'
  | 'top_up_not_found'
  /** Stripe could not be reached or refused the request; nothing was charged. */
  | 'payment_provider_failed'
  /** A webhook whose `Stripe-Signature` is missing, wrong or too old. */
  | 'webhook_signature_invalid';
