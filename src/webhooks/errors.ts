/** Codes of the webhooks domain. */
export type WebhookErrorCode =
  /** No endpoint with that id in the caller's account (or it was deleted). */
  | 'webhook_endpoint_not_found'
  /** No event with that id in the caller's account. */
  | 'webhook_event_not_found'
  /** An `events` entry that is not a webhook event type (the error's `param` names it). */
  | 'webhook_event_type_invalid'
  /** The account has as many endpoints as `webhook_endpoints_max` allows. */
  | 'webhook_endpoint_limit_reached';
