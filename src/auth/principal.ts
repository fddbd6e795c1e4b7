/** Who is calling: a customer through an API key, or the operator through the admin token. */

export type Principal =
  | { kind: 'api_key'; account_id: string; api_key_id: string }
  | { kind: 'operator' };
