/**
 * The REST side of the Stripe fake: the endpoints Tollgate uses, each with the parameters Stripe
 * accepts for it (anything else is Stripe's 400 `parameter_unknown`), bearer authentication with
 * the fake's secret key, `Idempotency-Key` replays (a key reused with other parameters is Stripe's
 * 400 `idempotency_error`) and `expand`. Answers are Stripe-shaped JSON objects and errors.
 */
import { createPaymentIntent, createRefund } from './charges.ts';
import { checkParams, type Fields, StripeFakeError } from './form.ts';
import {
  createCustomer,
  createSession,
  expireSession,
  must,
  type Now,
  publicSession,
} from './payments.ts';
import { expandObject, type FakeState, type StripeObject } from './state.ts';

export type ApiRequest = {
  method: string;
  path: string;
  params: Record<string, unknown>;
  authorization: string | undefined;
  idempotency_key: string | undefined;
};
export type ApiResponse = { status: number; body: string; replayed: boolean };
type Env = { state: FakeState; now: Now; base: string; secret_key: string };

const EXPAND: Fields = { expand: { array: 'string' } };
const METADATA: Fields = { metadata: 'metadata' };

const CUSTOMER: Fields = {
  ...EXPAND,
  ...METADATA,
  email: 'string',
  name: 'string',
  description: 'string',
};

const SESSION: Fields = {
  ...EXPAND,
  ...METADATA,
  mode: { required: { enum: ['payment', 'setup', 'subscription'] } },
  success_url: { required: 'string' },
  cancel_url: 'string',
  customer: 'string',
  customer_email: 'string',
  client_reference_id: 'string',
  expires_at: 'integer',
  locale: 'string',
  submit_type: { enum: ['auto', 'book', 'donate', 'pay'] },
  payment_method_types: { array: 'string' },
  line_items: {
    array: {
      object: {
        quantity: 'integer',
        price: 'string',
        price_data: {
          object: {
            currency: { required: 'string' },
            unit_amount: { required: 'integer' },
            product_data: {
              object: { name: { required: 'string' }, description: 'string', ...METADATA },
            },
          },
        },
      },
    },
  },
  payment_intent_data: {
    object: {
      ...METADATA,
      description: 'string',
      setup_future_usage: { enum: ['on_session', 'off_session'] },
      statement_descriptor_suffix: 'string',
    },
  },
};

const PAYMENT_INTENT: Fields = {
  ...EXPAND,
  ...METADATA,
  amount: { required: 'integer' },
  currency: { required: 'string' },
  customer: 'string',
  payment_method: 'string',
  payment_method_types: { array: 'string' },
  off_session: 'boolean',
  confirm: 'boolean',
  description: 'string',
  setup_future_usage: { enum: ['on_session', 'off_session'] },
  statement_descriptor_suffix: 'string',
  error_on_requires_action: 'boolean',
};

const REFUND: Fields = {
  ...EXPAND,
  ...METADATA,
  charge: 'string',
  payment_intent: 'string',
  amount: 'integer',
  reason: { enum: ['duplicate', 'fraudulent', 'requested_by_customer'] },
};

type Route = {
  method: 'GET' | 'POST';
  pattern: RegExp;
  fields: Fields;
  run: (env: Env, params: Record<string, unknown>, id: string) => StripeObject;
};

const ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/v1\/customers$/,
    fields: CUSTOMER,
    run: ({ state, now }, p) => createCustomer(state, now, p),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/customers\/([^/]+)$/,
    fields: EXPAND,
    run: ({ state }, _p, id) => must(state.customers, id, 'customer'),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/checkout\/sessions$/,
    fields: SESSION,
    run: ({ state, now, base }, p) => publicSession(createSession(state, now, base, p)),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/,
    fields: EXPAND,
    run: ({ state }, _p, id) => publicSession(must(state.sessions, id, 'checkout.session')),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
    fields: EXPAND,
    run: ({ state }, _p, id) => publicSession(expireSession(state, id)),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/payment_intents$/,
    fields: PAYMENT_INTENT,
    run: ({ state, now }, p) => createPaymentIntent(state, now, p),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/payment_intents\/([^/]+)$/,
    fields: EXPAND,
    run: ({ state }, _p, id) => must(state.payment_intents, id, 'payment_intent'),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/payment_methods\/([^/]+)$/,
    fields: EXPAND,
    run: ({ state }, _p, id) => must(state.payment_methods, id, 'payment_method'),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/charges\/([^/]+)$/,
    fields: EXPAND,
    run: ({ state }, _p, id) => must(state.charges, id, 'charge'),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/refunds$/,
    fields: REFUND,
    run: ({ state, now }, p) => createRefund(state, now, p).refund,
  },
  {
    method: 'GET',
    pattern: /^\/v1\/events\/([^/]+)$/,
    fields: EXPAND,
    run: ({ state }, _p, id) => must(state.events, id, 'event'),
  },
];

/** Answers one API request; never throws. */
export function answer(env: Env, request: ApiRequest): ApiResponse {
  try {
    return route(env, request);
  } catch (err) {
    if (!(err instanceof StripeFakeError)) throw err;
    return { status: err.status, body: JSON.stringify({ error: err.body }), replayed: false };
  }
}

function route(env: Env, request: ApiRequest): ApiResponse {
  if (request.authorization !== `Bearer ${env.secret_key}`) {
    throw new StripeFakeError(401, {
      type: 'invalid_request_error',
      message: 'Invalid API Key provided.',
    });
  }
  if (env.state.failures_left > 0) {
    env.state.failures_left--;
    throw new StripeFakeError(500, { type: 'api_error', message: 'An unknown error occurred' });
  }
  const matched = ROUTES.find((r) => r.method === request.method && r.pattern.test(request.path));
  if (matched === undefined) {
    throw new StripeFakeError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${request.method}: ${request.path}).`,
    });
  }
  const id = decodeURIComponent(matched.pattern.exec(request.path)![1] ?? '');
  const params = checkParams(request.params, matched.fields);
  env.state.requests.push({ method: request.method, path: request.path, params });
  const key = request.method === 'POST' ? request.idempotency_key : undefined;
  const params_json = JSON.stringify([request.path, params]);
  if (key !== undefined) {
    const stored = env.state.idempotency.get(key);
    if (stored !== undefined) {
      if (stored.params_json !== params_json) {
        throw new StripeFakeError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      return { status: stored.status, body: stored.body, replayed: true };
    }
  }
  let response: ApiResponse;
  try {
    const object = matched.run(env, params, id);
    const expand = (params.expand as string[] | undefined) ?? [];
    const body = JSON.stringify(expandObject(env.state, object, expand));
    response = { status: 200, body, replayed: false };
  } catch (err) {
    if (!(err instanceof StripeFakeError)) throw err;
    response = { status: err.status, body: JSON.stringify({ error: err.body }), replayed: false };
  }
  // Stripe stores the outcome of a request that ran (success or a card decline), not a 400.
  if (key !== undefined && (response.status === 200 || response.status === 402)) {
    env.state.idempotency.set(key, { params_json, status: response.status, body: response.body });
  }
  return response;
}
