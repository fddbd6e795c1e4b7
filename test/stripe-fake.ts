/**
 * A local fake of the part of Stripe's REST API that Tollgate uses, as a real HTTP server the
 * official `stripe` SDK talks to by host, port and protocol (`STRIPE_API_BASE`): Customers,
 * Checkout Sessions, PaymentIntents (off-session, declined per `declinePayments`), PaymentMethods,
 * charges, refunds, events. It checks what the SDK sends (form encoding, required and unknown
 * parameters) and answers Stripe-shaped JSON and errors (`test/stripe-fake/`).
 *
 * It also plays the customer and the card networks, each step sending one webhook event signed
 * with the SDK's `webhooks.generateTestHeaderString` to the target set with `setWebhookTarget` (a
 * URL, or a function such as `injectInto(app)` for `app.inject()` tests): `completeCheckout`
 * (paid now, or `{ delayed: true }`: `payment_status: 'unpaid'`), `settleDelayedPayment`
 * (`checkout.session.async_payment_succeeded|failed`), `expireCheckout`, `refundCharge`
 * (`charge.refunded`), `openDispute` / `closeDispute` (`charge.dispute.created|closed`). Every
 * event is kept, so `deliver(event)` replays it and `signedDelivery` builds a request for tests
 * that tamper with it. The checkout URL serves a pay page; `POST <checkout_url>/pay` pays.
 *
 * Start it at the top of a test file (`const fake = await startStripeFake()`), pass `fake.env`
 * to the server fixture, `fake.setClock` to the test's clock and close it in `afterAll`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../src/payments/stripe-client.ts';
import { answer } from './stripe-fake/api.ts';
import { closeDispute, createRefund, openDispute } from './stripe-fake/charges.ts';
import { decodeForm, StripeFakeError } from './stripe-fake/form.ts';
import {
  expireSession,
  must,
  payCheckout,
  publicSession,
  settleDelayed,
} from './stripe-fake/payments.ts';
import {
  createFakeState,
  type Decline,
  type FakeState,
  newStripeId,
  type StripeObject,
  snapshot,
} from './stripe-fake/state.ts';

export type { Decline, FakeState, StripeObject };

export type WebhookRequest = { payload: string; headers: Record<string, string> };
/** Where events go: a URL, or a function that delivers a request and returns the HTTP status. */
export type WebhookTarget = { url: string } | ((request: WebhookRequest) => Promise<number>);
/**
 * An event, the object it carries (`event.data.object`, untyped) and the status its delivery got
 * (`null` when no target is set).
 */
export type Delivery = { event: Stripe.Event; object: StripeObject; status: number | null };
export type SignOptions = { timestamp_s?: number; secret?: string };

export const CARD_DECLINED: Decline = {
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
};

type Injectable = {
  inject: (options: {
    method: 'POST';
    url: string;
    payload: string;
    headers: Record<string, string>;
  }) => Promise<{ statusCode: number }>;
};

/** A webhook target that delivers through Fastify's `inject` (no socket). */
export function injectInto(app: Injectable, url = '/webhooks/stripe'): WebhookTarget {
  return async ({ payload, headers }) =>
    (await app.inject({ method: 'POST', url, payload, headers })).statusCode;
}

export async function startStripeFake(
  options: { secret_key?: string; webhook_secret?: string } = {},
) {
  const secret_key = options.secret_key ?? 'sk_test_tollgate_fake';
  const webhook_secret = options.webhook_secret ?? 'whsec_tollgate_fake';
  const state: FakeState = createFakeState();
  let now: () => number = Date.now;
  let target: WebhookTarget | null = null;
  let base = '';
  const clock = () => now();

  const server = createServer((req, res) => {
    readBody(req)
      .then((text) => serve(req, res, text))
      .catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sdk = new Stripe(secret_key, {
    apiVersion: STRIPE_API_VERSION,
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });

  async function serve(req: IncomingMessage, res: ServerResponse, text: string) {
    const url = new URL(req.url ?? '/', base);
    const page = /^\/checkout\/([^/]+)(\/pay)?$/.exec(url.pathname);
    if (page !== null) return servePayPage(res, req.method ?? 'GET', page, url);
    const form = req.method === 'GET' ? url.search.slice(1) : text;
    let params: Record<string, unknown>;
    try {
      params = decodeForm(form);
    } catch (err) {
      if (!(err instanceof StripeFakeError)) throw err;
      return send(res, err.status, JSON.stringify({ error: err.body }));
    }
    const key = req.headers['idempotency-key'];
    const response = answer(
      { state, now: clock, base, secret_key },
      {
        method: req.method ?? 'GET',
        path: url.pathname,
        params,
        authorization: req.headers.authorization,
        idempotency_key: typeof key === 'string' ? key : undefined,
      },
    );
    const headers = response.replayed ? { 'idempotent-replayed': 'true' } : {};
    send(res, response.status, response.body, headers);
  }

  async function servePayPage(
    res: ServerResponse,
    method: string,
    page: RegExpExecArray,
    url: URL,
  ) {
    const session = state.sessions.get(decodeURIComponent(page[1]!));
    if (session === undefined) return send(res, 404, '{"error":"no such session"}');
    if (method === 'GET' && page[2] === undefined) {
      const html = `<!doctype html><title>Stripe fake checkout</title><form method="post" action="${session.id}/pay"><p>Pay $${(session.amount_total as number) / 100}</p><button>Pay</button></form>`;
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(html);
    }
    if (method !== 'POST' || page[2] === undefined) return send(res, 405, '{}');
    try {
      const delivery = await fake.completeCheckout(session.id, {
        delayed: url.searchParams.get('delayed') === '1',
      });
      send(res, 200, JSON.stringify({ redirect: session.success_url, status: delivery.status }));
    } catch (err) {
      if (!(err instanceof StripeFakeError)) throw err;
      send(res, err.status, JSON.stringify({ error: err.body }));
    }
  }

  function newEvent(type: string, object: StripeObject, previous?: Record<string, unknown>) {
    const event = {
      id: newStripeId('evt'),
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created: Math.floor(clock() / 1000),
      type,
      data: { object: snapshot(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    };
    state.events.set(event.id, event as unknown as StripeObject);
    return event as unknown as Stripe.Event;
  }

  function signedDelivery(event: Stripe.Event, sign: SignOptions = {}): WebhookRequest {
    const payload = JSON.stringify(event, null, 2);
    const signature = sdk.webhooks.generateTestHeaderString({
      payload,
      secret: sign.secret ?? webhook_secret,
      timestamp: sign.timestamp_s ?? Math.floor(clock() / 1000),
    });
    return {
      payload,
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
    };
  }

  async function deliver(event: Stripe.Event, sign: SignOptions = {}): Promise<number | null> {
    if (target === null) return null;
    const request = signedDelivery(event, sign);
    if (typeof target === 'function') return target(request);
    const response = await fetch(target.url, {
      method: 'POST',
      headers: request.headers,
      body: request.payload,
    });
    await response.arrayBuffer();
    return response.status;
  }

  async function emit(type: string, object: StripeObject, previous?: Record<string, unknown>) {
    const event = newEvent(type, object, previous);
    const carried = event.data.object as unknown as StripeObject;
    return { event, object: carried, status: await deliver(event) } satisfies Delivery;
  }

  const fake = {
    url: base,
    secret_key,
    webhook_secret,
    state,
    /** An SDK client pointed at the fake (what the gateway builds from `env`). */
    sdk,
    /** The gateway's Stripe variables for this fake. */
    env: {
      STRIPE_SECRET_KEY: secret_key,
      STRIPE_WEBHOOK_SECRET: webhook_secret,
      STRIPE_API_BASE: base,
    } as Record<string, string>,
    /** Event `created` times and signature timestamps follow this clock (epoch ms). */
    setClock(next: () => number | bigint) {
      now = () => Number(next());
    },
    setWebhookTarget(next: WebhookTarget | null) {
      target = next;
    },
    /** Every confirmed PaymentIntent is declined with `decline` until this is called with null. */
    declinePayments(decline: Decline | null = CARD_DECLINED) {
      state.decline = decline;
    },
    /** The next `count` API requests answer 500 `api_error`, as in an outage (0 ends it). */
    failRequests(count: number) {
      state.failures_left = count;
    },
    /** Forgets every object, event and request (the webhook target and clock stay). */
    reset() {
      Object.assign(state, createFakeState());
    },
    newEvent,
    signedDelivery,
    deliver,
    /** Sends an event of `type` about `object` (for cases the helpers below do not cover). */
    emit,
    /** The customer pays: `checkout.session.completed`, `paid` now or `unpaid` if delayed. */
    completeCheckout(session_id: string, options: { delayed?: boolean } = {}) {
      const session = payCheckout(state, clock, session_id, options.delayed === true);
      return emit('checkout.session.completed', publicSession(session));
    },
    /** A delayed payment resolves: `checkout.session.async_payment_succeeded|failed`. */
    settleDelayedPayment(session_id: string, outcome: 'succeeded' | 'failed') {
      const session = settleDelayed(state, clock, session_id, outcome === 'succeeded');
      return emit(`checkout.session.async_payment_${outcome}`, publicSession(session));
    },
    /** The session times out unpaid: `checkout.session.expired`. */
    expireCheckout(session_id: string) {
      return emit('checkout.session.expired', publicSession(expireSession(state, session_id)));
    },
    /** The charge of a paid session. */
    chargeOf(session_id: string): StripeObject {
      const session = must(state.sessions, session_id, 'checkout.session');
      const intent = must(state.payment_intents, String(session.payment_intent), 'payment_intent');
      return must(state.charges, String(intent.latest_charge), 'charge');
    },
    /** Refunds `amount_cents` (default: the rest) of a charge: `charge.refunded`. */
    refundCharge(charge_id: string, amount_cents?: number) {
      const before = must(state.charges, charge_id, 'charge').amount_refunded;
      const params =
        amount_cents === undefined
          ? { charge: charge_id }
          : { charge: charge_id, amount: amount_cents };
      const { charge } = createRefund(state, clock, params);
      return emit('charge.refunded', charge, { amount_refunded: before });
    },
    /** The cardholder disputes the charge: `charge.dispute.created`. */
    openDispute(charge_id: string, amount_cents?: number) {
      return emit('charge.dispute.created', openDispute(state, clock, charge_id, amount_cents));
    },
    /** The dispute ends: `charge.dispute.closed` with `status` `lost` or `won`. */
    closeDispute(dispute_id: string, outcome: 'lost' | 'won') {
      return emit('charge.dispute.closed', closeDispute(state, dispute_id, outcome));
    },
    close() {
      return new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
  return fake;
}

export type StripeFake = Awaited<ReturnType<typeof startStripeFake>>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers = {}) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': newStripeId('req'),
    ...headers,
  });
  res.end(body);
}
