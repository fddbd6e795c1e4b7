/** Codes of the auto-reload domain. */
export type ReloadErrorCode =
  /** Enabling auto-reload needs a payment method saved at a previous Checkout top-up. */
  | 'payment_method_required'
  /** A setting out of its range (the error's `param` names it). */
  | 'auto_reload_setting_invalid';
