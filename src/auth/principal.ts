/**
 * Who is calling: a customer through an API key or an OAuth access token (each acting for one
 * account), or the operator through the admin token.
 */

export type Principal =
  | { kind: 'api_key'; account_id: string; api_key_id: string }
  | { kind: 'oauth'; account_id: string; user_id: string; client_id: string }
  | { kind: 'operator' };
