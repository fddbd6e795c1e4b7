/**
 * Who is calling: a customer through an API key or an OAuth access token (each acting for one
 * account), a customer's account user through a dashboard session (cookie), or the operator
 * through the admin token (or an operator dashboard session).
 */

export type Principal =
  | { kind: 'api_key'; account_id: string; api_key_id: string }
  | { kind: 'oauth'; account_id: string; user_id: string; client_id: string }
  | { kind: 'session'; account_id: string; user_id: string; session_id: string }
  | { kind: 'operator' };
