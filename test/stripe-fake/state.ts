/**
 * The Stripe fake's memory: every object it has made, keyed by id, in Stripe's JSON shapes (the
 * fields Tollgate and its tests read, with Stripe's names and types). Objects are mutated in place
 * as payments progress; events and responses take deep copies, so a stored event keeps the
 * object as it was when the event happened, as Stripe's do.
 */
import { randomBytes } from 'node:crypto';

export type StripeObject = Record<string, unknown> & { id: string; object: string };

export type Decline = { code: string; decline_code: string; message: string };

export type FakeState = {
  customers: Map<string, StripeObject>;
  sessions: Map<string, StripeObject>;
  payment_intents: Map<string, StripeObject>;
  payment_methods: Map<string, StripeObject>;
  charges: Map<string, StripeObject>;
  refunds: Map<string, StripeObject>;
  disputes: Map<string, StripeObject>;
  events: Map<string, StripeObject>;
  /** Idempotency-Key → the parameters it was first used with and the stored answer. */
  idempotency: Map<string, { params_json: string; status: number; body: string }>;
  /** Every API request the fake answered, oldest first (for assertions). */
  requests: { method: string; path: string; params: Record<string, unknown> }[];
  /** When set, every confirmed PaymentIntent is declined with this error. */
  decline: Decline | null;
  /** How many of the next API requests answer Stripe's 500 `api_error` (an outage). */
  failures_left: number;
};

export function createFakeState(): FakeState {
  return {
    customers: new Map(),
    sessions: new Map(),
    payment_intents: new Map(),
    payment_methods: new Map(),
    charges: new Map(),
    refunds: new Map(),
    disputes: new Map(),
    events: new Map(),
    idempotency: new Map(),
    requests: [],
    decline: null,
    failures_left: 0,
  };
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Stripe-looking id: `cs_test_a1B2…`, `pi_3Q…`. */
export function newStripeId(prefix: string): string {
  const bytes = randomBytes(24);
  let body = '';
  for (const byte of bytes) body += ID_ALPHABET[byte % ID_ALPHABET.length];
  return `${prefix}_${body}`;
}

/** The map an id's prefix belongs to, for `expand` and lookups. */
export function mapOfId(state: FakeState, id: string): Map<string, StripeObject> | null {
  if (id.startsWith('cus_')) return state.customers;
  if (id.startsWith('cs_')) return state.sessions;
  if (id.startsWith('pi_')) return state.payment_intents;
  if (id.startsWith('pm_')) return state.payment_methods;
  if (id.startsWith('ch_') || id.startsWith('py_')) return state.charges;
  if (id.startsWith('re_')) return state.refunds;
  if (id.startsWith('dp_') || id.startsWith('du_')) return state.disputes;
  if (id.startsWith('evt_')) return state.events;
  return null;
}

export function snapshot<T>(value: T): T {
  return structuredClone(value);
}

/** A copy of `object` with each `expand` path (one level, or `a.b`) replaced by its object. */
export function expandObject(
  state: FakeState,
  object: StripeObject,
  expand: readonly string[],
): StripeObject {
  const copy = snapshot(object) as Record<string, unknown>;
  for (const path of expand) {
    const [head, ...rest] = path.split('.');
    const id = copy[head!];
    if (typeof id !== 'string') continue;
    const found = mapOfId(state, id)?.get(id);
    if (found === undefined) continue;
    copy[head!] =
      rest.length === 0 ? snapshot(found) : expandObject(state, found, [rest.join('.')]);
  }
  return copy as StripeObject;
}
