/**
 * The load: autocannon with a fixed number of connections, split evenly over the target nodes
 * (one autocannon instance per node, run at the same time). Every gateway request takes the next
 * customer's API key in turn, so the load spreads over all funded accounts; the idempotent
 * variant also sends a fresh `Idempotency-Key` per request. Latencies are recorded per response
 * over all nodes together, so percentiles stay exact when the load is split; a request that
 * timed out counts at the timeout.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { PHOTO_720P } from '../../test/videos.ts';

/** What a phase requests: the baseline, a read, an admission, an idempotent admission. */
export type RequestKind = 'hello' | 'users_me' | 'videos' | 'videos_idem';

export type LoadSpec = {
  kind: RequestKind;
  base_urls: readonly string[];
  api_keys: readonly string[];
  connections: number;
  duration_s: number;
};

export type NodeLoad = { base_url: string; ok_count: number };

export type LoadResult = {
  elapsed_s: number;
  response_count: number;
  /** Responses outside 200–299, 5xx included. */
  non_2xx_count: number;
  server_5xx_count: number;
  /** Connection errors other than timeouts (no response at all). */
  error_count: number;
  /** Requests that got no response within autocannon's 10 s timeout. */
  timeout_count: number;
  status_counts: Record<string, number>;
  latency_ms: { p50: number; p99: number };
  per_node: NodeLoad[];
};

type Request = { method: string; path: string; headers: Record<string, string>; body?: string };

const VIDEO_BODY = JSON.stringify(PHOTO_720P);
/** autocannon's default: a request unanswered this long counts as a timeout. */
const TIMEOUT_S = 10;

function requestOf(kind: RequestKind): Request {
  if (kind === 'hello') return { method: 'GET', path: '/', headers: {} };
  if (kind === 'users_me') return { method: 'GET', path: '/v3/users/me', headers: {} };
  const headers = { 'content-type': 'application/json' };
  return { method: 'POST', path: '/v3/videos', headers, body: VIDEO_BODY };
}

/** Picks each request's key (and idempotency key) in turn; shared by every node's instance. */
function rotation(kind: RequestKind, apiKeys: readonly string[]) {
  if (kind === 'hello') return undefined;
  const run = randomUUID();
  let next = 0;
  return (request: Request): Request => {
    const n = next++;
    const headers: Record<string, string> = {
      ...request.headers,
      'x-api-key': apiKeys[n % apiKeys.length]!,
    };
    if (kind === 'videos_idem') headers['idempotency-key'] = `bench-${run}-${n}`;
    return { ...request, headers };
  };
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function runInstance(
  options: autocannon.Options,
  onLatency: (ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
    instance.on('response', (_client, _status, _bytes, responseTime) => onLatency(responseTime));
  });
}

/** Runs the load against every node at once; resolves when all instances are done. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const request = requestOf(spec.kind);
  const setupRequest = rotation(spec.kind, spec.api_keys);
  const perNode = Math.max(1, Math.floor(spec.connections / spec.base_urls.length));
  const latencies: number[] = [];
  const results = await Promise.all(
    spec.base_urls.map((url) =>
      runInstance(
        {
          url,
          connections: perNode,
          duration: spec.duration_s,
          timeout: TIMEOUT_S,
          requests: [setupRequest === undefined ? request : { ...request, setupRequest }],
        } as autocannon.Options,
        (ms) => latencies.push(ms),
      ),
    ),
  );
  // A request with no answer within the timeout counts as answered at the timeout, so that a
  // phase whose requests time out shows it in its p99 rather than looking fast.
  const timeoutCount = results.reduce((sum, result) => sum + result.timeouts, 0);
  for (let index = 0; index < timeoutCount; index++) latencies.push(TIMEOUT_S * 1000);
  latencies.sort((a, b) => a - b);
  const status_counts: Record<string, number> = {};
  for (const result of results) {
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
      status_counts[code] = (status_counts[code] ?? 0) + Number(stat.count);
    }
  }
  const countWhere = (test: (code: number) => boolean) =>
    Object.entries(status_counts)
      .filter(([code]) => test(Number(code)))
      .reduce((sum, [, count]) => sum + count, 0);
  return {
    elapsed_s: Math.max(...results.map((result) => result.duration)),
    response_count: latencies.length - timeoutCount,
    non_2xx_count: countWhere((code) => code < 200 || code > 299),
    server_5xx_count: countWhere((code) => code >= 500),
    error_count: results.reduce((sum, result) => sum + result.errors - result.timeouts, 0),
    timeout_count: timeoutCount,
    status_counts,
    latency_ms: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    per_node: results.map((result, index) => ({
      base_url: spec.base_urls[index]!,
      ok_count: result['2xx'],
    })),
  };
}
