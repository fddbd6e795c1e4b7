/** Codes of the OAuth domain. */
export type OAuthErrorCode =
  | 'oauth_client_not_found'
  | 'oauth_client_id_taken'
  | 'redirect_uri_invalid';
