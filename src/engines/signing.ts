/**
 * How Tollgate and a render farm sign what they send each other (the `http` engine): an
 * HMAC-SHA256, keyed with `TOLLGATE_HTTP_ENGINE_SECRET`, over `<timestamp>.<raw body>`, where
 * the timestamp is Unix seconds. Headers:
 * - `Tollgate-Timestamp: 1795577453`
 * - `Tollgate-Signature: v1=<64 hex digits>` (several `v1=` entries, comma-separated, are
 *   accepted, so a secret can be rotated).
 * A signature verifies only if it matches and its timestamp is within the tolerance of now, so
 * an old delivery cannot be replayed. Comparison is constant-time. Pure but for the clock value
 * passed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'tollgate-signature';
export const TIMESTAMP_HEADER = 'tollgate-timestamp';

/** The `v1=` signature of `body` sent at `timestamp_s`. */
export function signatureOf(
  secret: string,
  request: { timestamp_s: bigint; body: string },
): string {
  const mac = createHmac('sha256', secret).update(`${request.timestamp_s}.${request.body}`);
  return `v1=${mac.digest('hex')}`;
}

/** The two headers that sign `body` at `now_ms`. */
export function signedHeaders(
  secret: string,
  body: string,
  now_ms: bigint,
): Record<string, string> {
  const timestamp_s = now_ms / 1000n;
  return {
    [TIMESTAMP_HEADER]: String(timestamp_s),
    [SIGNATURE_HEADER]: signatureOf(secret, { timestamp_s, body }),
  };
}

/** Whether the headers sign `body` with `secret`, at most `tolerance_ms` from `now_ms`. */
export function verifySignature(
  secret: string,
  request: {
    body: string;
    timestamp: string | undefined;
    signature: string | undefined;
    now_ms: bigint;
    tolerance_ms: bigint;
  },
): boolean {
  const { timestamp, signature } = request;
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) {
    return false;
  }
  const timestamp_s = BigInt(timestamp);
  const skew_ms = request.now_ms - timestamp_s * 1000n;
  if (skew_ms > request.tolerance_ms || -skew_ms > request.tolerance_ms) return false;
  const expected = Buffer.from(signatureOf(secret, { timestamp_s, body: request.body }));
  return signature
    .split(',')
    .map((part) => Buffer.from(part.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
