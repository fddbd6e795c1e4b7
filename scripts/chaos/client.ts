/**
 * The chaos run's client: sets up a funded account through the operator API, then submits videos
 * concurrently, each request with its own `Idempotency-Key`, and retries every request whose
 * outcome it did not learn (connection cut, 5xx, 409 in progress, 429) with the same key until it
 * learns it. It records what the client knows: which video ids were acknowledged, and how often
 * each kind of answer came back.
 */
import { randomUUID } from 'node:crypto';

export type Counters = {
  submitted: number;
  acknowledged: number;
  refused_4xx: number;
  replayed: number;
  /** Answers lost to a crash (a request cut off twice counts twice). */
  cut_off: number;
  /** Distinct requests cut off at least once. */
  requests_cut_off: number;
  in_progress_409: number;
  busy_429: number;
  server_5xx: number;
  retries: number;
  /** Cut-off requests whose retry ran (not a replay): the first attempt had not committed. */
  cut_off_ran_on_retry: number;
};

type Pending = { key: string; body: object; attempts: number; cut_off: boolean };

const REQUEST_TIMEOUT_MS = 15_000;

export type ChaosClient = {
  counters: Counters;
  /** video id → the key that created it; one entry per acknowledged job. */
  acknowledged: Map<string, string>;
  /** Requests whose outcome the client does not know yet. */
  unresolved: () => number;
  /** Retries the oldest unresolved request, or else (when allowed) sends a new one. */
  step: (allowFresh: boolean) => Promise<void>;
};

export async function createFundedCustomer(
  base_url: string,
  admin_token: string,
  grant_usd: string,
  username = 'chaos',
): Promise<{ account_id: string; api_key: string }> {
  const admin = { authorization: `Bearer ${admin_token}`, 'content-type': 'application/json' };
  const post = async (path: string, body: object) => {
    const res = await fetch(`${base_url}/admin/v1${path}`, {
      method: 'POST',
      headers: { ...admin, 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: Record<string, string> }).data;
  };
  const account = await post('/accounts', { username, concurrency_limit: 1_000 });
  const account_id = account.id as string;
  await post(`/accounts/${account_id}/grants`, { amount_usd: grant_usd, kind: 'paid' });
  const key = await post(`/accounts/${account_id}/api-keys`, { name: username });
  return { account_id, api_key: key.key as string };
}

export function createChaosClient(
  target: () => string,
  api_key: string,
  bodyOf: (index: number) => object,
): ChaosClient {
  const counters: Counters = {
    submitted: 0,
    acknowledged: 0,
    refused_4xx: 0,
    replayed: 0,
    cut_off: 0,
    requests_cut_off: 0,
    in_progress_409: 0,
    busy_429: 0,
    server_5xx: 0,
    retries: 0,
    cut_off_ran_on_retry: 0,
  };
  const acknowledged = new Map<string, string>();
  const unresolved: Pending[] = [];
  let next = 0;

  const cutOff = (request: Pending) => {
    counters.cut_off++;
    if (!request.cut_off) counters.requests_cut_off++;
    request.cut_off = true;
    unresolved.push(request);
  };

  const send = async (request: Pending): Promise<void> => {
    request.attempts++;
    let res: Response;
    try {
      res = await fetch(`${target()}/v3/videos`, {
        method: 'POST',
        headers: {
          'x-api-key': api_key,
          'content-type': 'application/json',
          'idempotency-key': request.key,
        },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch {
      cutOff(request);
      return;
    }
    const text = await res.text().catch(() => null);
    if (text === null) {
      cutOff(request);
      return;
    }
    if (res.status === 200) {
      const { data } = JSON.parse(text) as { data: { video_id: string } };
      if (res.headers.get('idempotent-replayed') === 'true') counters.replayed++;
      else if (request.cut_off) counters.cut_off_ran_on_retry++;
      const before = acknowledged.get(data.video_id);
      if (before !== undefined && before !== request.key) {
        throw new Error(`video ${data.video_id} acknowledged under two keys`);
      }
      if (before === undefined) counters.acknowledged++;
      acknowledged.set(data.video_id, request.key);
      return;
    }
    if (res.status === 409) counters.in_progress_409++;
    else if (res.status === 429) counters.busy_429++;
    else if (res.status >= 500) counters.server_5xx++;
    else {
      counters.refused_4xx++;
      return;
    }
    unresolved.push(request);
  };

  return {
    counters,
    acknowledged,
    unresolved: () => unresolved.length,
    step: async (allowFresh) => {
      const retry = unresolved.shift();
      if (retry !== undefined) {
        counters.retries++;
        return send(retry);
      }
      if (!allowFresh) return;
      counters.submitted++;
      const body = bodyOf(next++);
      return send({ key: `chaos-${randomUUID()}`, body, attempts: 0, cut_off: false });
    },
  };
}
