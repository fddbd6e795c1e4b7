/**
 * A webhook receiver for tests: a real HTTP server on 127.0.0.1 that records every request
 * (headers and raw body) and answers with the status the test sets (`down()` answers 503 until
 * `up()`). Tests that call it set `TOLLGATE_ALLOW_PRIVATE_URLS=1`, since it is on loopback.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';

export type ReceivedWebhook = {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { event_type: string; event_data: Record<string, unknown> };
};

export type WebhookReceiver = {
  url: (path?: string) => string;
  received: ReceivedWebhook[];
  /** Requests answered 2xx (what the receiver accepted). */
  accepted: ReceivedWebhook[];
  down: (status?: number) => void;
  up: () => void;
  close: () => Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let status = 200;
  const received: ReceivedWebhook[] = [];
  const accepted: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = { path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) };
      received.push(entry);
      if (status < 300) accepted.push(entry);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hooks') => `http://127.0.0.1:${port}${path}`,
    received,
    accepted,
    down: (next = 503) => {
      status = next;
    },
    up: () => {
      status = 200;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A fresh receiver for each test of the calling `describe` (started before it, closed after it):
 * the returned handle always speaks to the current test's receiver.
 */
export function useWebhookReceiver(): WebhookReceiver {
  let current: WebhookReceiver | null = null;
  beforeEach(async () => {
    current = await startWebhookReceiver();
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  const now = (): WebhookReceiver => {
    if (current === null) throw new Error('the webhook receiver is used outside a test');
    return current;
  };
  return {
    url: (path) => now().url(path),
    get received() {
      return now().received;
    },
    get accepted() {
      return now().accepted;
    },
    down: (status) => now().down(status),
    up: () => now().up(),
    close: () => now().close(),
  };
}
