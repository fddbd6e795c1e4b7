/** Codes of the outbound-call domain (`src/net/`). */
export type NetErrorCode =
  /**
   * A URL Tollgate was asked to call, or was redirected to, is not allowed: not https, not a
   * valid URL, a host that does not resolve, or an address that is private, loopback,
   * link-local, unique-local, multicast or unspecified. The caller names the `param`.
   */
  | 'outbound_url_refused'
  /**
   * An allowed call did not produce a response: connection failure, timeout, a body larger than
   * its bound, or too many redirects (`details.reason` says which).
   */
  | 'outbound_request_failed';
