/**
 * How a delivery is signed, twice over, with the endpoint's (or the account's callback) secret:
 * - Standard Webhooks (`standardwebhooks`): `webhook-id` (the event id, the same on every retry
 *   and redelivery), `webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,<base64
 *   HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the base64 part of `whsec_…`);
 * - HeyGen's headers as integrations verify them (API.md §11.4): `Heygen-Signature` is the hex
 *   HMAC-SHA256 of the raw body keyed with the whole secret string, beside `Heygen-Timestamp`
 *   and `Heygen-Event-Id`.
 * README "Verifying webhook signatures" shows both checks; a test runs that code verbatim.
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export function signDelivery(
  secret: string,
  message: { event_id: string; sent_at_ms: bigint; body: string },
): Record<string, string> {
  const timestamp = new Date(Number(message.sent_at_ms));
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  const signature = new Webhook(secret).sign(message.event_id, timestamp, message.body);
  return {
    'content-type': 'application/json',
    'user-agent': 'Tollgate-Webhooks/1',
    'webhook-id': message.event_id,
    'webhook-timestamp': seconds,
    'webhook-signature': signature,
    'heygen-event-id': message.event_id,
    'heygen-timestamp': seconds,
    'heygen-signature': createHmac('sha256', secret).update(message.body).digest('hex'),
  };
}
