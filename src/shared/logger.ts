/**
 * The process logger (pino) and what it must never print. Secrets (API keys, the operator token,
 * OAuth bearer tokens, webhook signing secrets and signatures, cookies, card data) are censored
 * by pino's `redact` wherever a log call could carry them: request and response headers (Fastify's
 * serializers and any `{ headers }` object) and body-shaped objects with a secret field. Paths are
 * exact (no wildcards), so the censor costs a few property reads per log call. Code must still
 * not log secrets on purpose; this is the net under it, and `test/e2e/log-secrets.test.ts` greps
 * the logs of a full run for every secret it used.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

const SECRET_HEADERS = [
  'authorization',
  '"x-api-key"',
  'cookie',
  '"set-cookie"',
  '"stripe-signature"',
  '"webhook-signature"',
  '"x-tollgate-signature"',
];
const SECRET_FIELDS = [
  'key',
  'api_key',
  'token',
  'admin_token',
  'access_token',
  'refresh_token',
  'client_secret',
  'secret',
  'webhook_secret',
  'password',
  'card',
  'card_number',
  'cvc',
];

function headerPaths(owner: string): string[] {
  return SECRET_HEADERS.map((name) =>
    name.startsWith('"') ? `${owner}[${name}]` : `${owner}.${name}`,
  );
}

/** Every path pino censors (`[Redacted]`). */
export const LOG_REDACT_PATHS: readonly string[] = [
  ...headerPaths('req.headers'),
  ...headerPaths('res.headers'),
  ...headerPaths('headers'),
  ...SECRET_FIELDS.map((field) => `body.${field}`),
  ...SECRET_FIELDS.map((field) => `req.body.${field}`),
  'api_key',
  'admin_token',
  'webhook_secret',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: [...LOG_REDACT_PATHS] };
  return destination === undefined ? pino(options) : pino(options, destination);
}
