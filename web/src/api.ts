/**
 * The web app's one API client: every call goes to Tollgate's public HTTP API on the same origin,
 * with the session cookie (sent by the browser, HTTP-only) and, on writes, the session's CSRF
 * token in `x-csrf-token`. Errors come back in HeyGen's envelope and are thrown as `ApiError`
 * with the server's message, so pages show them in words.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param: string | null;

  constructor(status: number, code: string, message: string, param: string | null) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function call<T>(
  method: Method,
  path: string,
  options: { body?: unknown; idempotency_key?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  if (options.idempotency_key !== undefined) headers['idempotency-key'] = options.idempotency_key;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The gateway could not be reached. Check your connection.',
      null,
    );
  }
  const text = await response.text();
  const json = text.length > 0 ? safeParse(text) : null;
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; param?: string } } | null)
      ?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `The gateway answered ${response.status}.`,
      error?.param ?? null,
    );
  }
  return json as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function newIdempotencyKey(): string {
  return `dash-${crypto.randomUUID()}`;
}

// ---- shapes of the responses the pages read (snake_case, as the API sends them) ----

export type Session = {
  id: string;
  kind: 'customer' | 'operator';
  account_id: string | null;
  user_id: string | null;
  csrf_token: string;
  time_zone: string;
  expires_at: string;
};

export type Balance = {
  available_micro_usd: number;
  held_micro_usd: number;
  settled_micro_usd: number;
  posted_balance_micro_usd: number;
  granted_micro_usd: number;
};

export type WalletEntry = {
  id: string;
  kind: string;
  wallet_part: string;
  grant_id: string | null;
  memo: string | null;
  operator: string | null;
  direction: 'credit' | 'debit';
  amount_micro_usd: number;
  amount_usd: string;
  released_micro_usd: number | null;
  hold_status: string | null;
  reference: string | null;
  product: string | null;
  created_at_ms: number;
  created_at: string;
};

export type Page<T> = { data: T[]; has_more: boolean; next_token: string | null };

export type ApiKey = {
  id: string;
  prefix: string;
  name: string | null;
  created_at_ms: number;
  last_used_at_ms: number | null;
  revoked: boolean;
  key?: string;
  spending_limit?: SpendingLimit | null;
};

/** A key's limit per day or month of the account's time zone, and its use in the current one. */
export type SpendingLimit = {
  window: 'day' | 'month';
  amount_micro_usd: number;
  period: string;
  spent_micro_usd: number;
  held_micro_usd: number;
};

export type UsageDay = {
  day: string;
  product: string;
  charge_count: number;
  duration_ms: number;
  charged_amount_micro_usd: number;
};

export type RateRow = {
  sku: string;
  unit: string;
  rate_usd: string | null;
  rate_micro_usd: number | null;
  enterprise_only: boolean;
  existing_customers_only: boolean;
};

export type Account = {
  id: string;
  username: string;
  email: string | null;
  created_at_ms: number;
  overdraft_limit_usd: string;
  enterprise: boolean;
};
