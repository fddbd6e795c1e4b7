/** Table types of OAuth clients and the authorization server's stored payloads. */
import type { Selectable } from 'kysely';

export type OAuthClientTable = {
  /** The `client_id` clients send. */
  id: string;
  name: string;
  /** `public` (PKCE only, no secret) or `confidential` (a secret as well). */
  client_type: string;
  /** Confidential clients only (oidc-provider compares it in constant time). */
  client_secret: string | null;
  /** JSON array of exact redirect URIs. */
  redirect_uris: string;
  created_at_ms: bigint;
};

export type OAuthPayloadTable = {
  /** oidc-provider's model name: `AccessToken`, `RefreshToken`, `AuthorizationCode`, … */
  model: string;
  /** SHA-256 (hex) of the model's id; for tokens the id is the token itself. */
  id_hash: string;
  /** oidc-provider's payload, JSON. */
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  /** Past this instant the row is gone for every reader; null never expires. */
  expires_at_ms: bigint | null;
  consumed_at_ms: bigint | null;
};

export type OAuthTables = {
  oauth_clients: OAuthClientTable;
  oauth_payloads: OAuthPayloadTable;
};

export type OAuthClientRow = Selectable<OAuthClientTable>;
