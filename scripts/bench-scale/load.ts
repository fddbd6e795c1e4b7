/**
 * The load generator (autocannon, in this process): `GET /v3/users/me` and `POST /v3/videos`
 * (a hold per request; the gateway's worker settles each job 200 ms later), each request with
 * the next API key of the sampled customers, so the load spreads over many accounts of the
 * database. Every non-2xx answer or socket error is counted and reported.
 */
import autocannon from 'autocannon';
import { PHOTO_720P } from '../../test/videos.ts';

export type Endpoint = 'users_me' | 'videos';
export type LoadResult = {
  endpoint: Endpoint;
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  non_2xx: number;
  errors: number;
  /** Answers by status, and the first body of each non-2xx status (what the failure was). */
  status_counts: Record<string, number>;
  first_error_bodies: Record<string, string>;
};

const VIDEO_BODY = JSON.stringify(PHOTO_720P);

export async function runLoad(options: {
  base_url: string;
  endpoint: Endpoint;
  api_keys: readonly string[];
  connections: number;
  duration_s: number;
}): Promise<LoadResult> {
  let next = 0;
  const status_counts: Record<string, number> = {};
  const first_error_bodies: Record<string, string> = {};
  const onResponse = (status: number, body: string) => {
    status_counts[status] = (status_counts[status] ?? 0) + 1;
    if ((status < 200 || status > 299) && first_error_bodies[status] === undefined)
      first_error_bodies[status] = body.slice(0, 500);
  };
  const setupRequest = (request: autocannon.Request) => {
    const key = options.api_keys[next++ % options.api_keys.length]!;
    return { ...request, headers: { ...request.headers, 'x-api-key': key } };
  };
  const request: autocannon.Request =
    options.endpoint === 'users_me'
      ? { method: 'GET', path: '/v3/users/me', setupRequest, onResponse }
      : {
          method: 'POST',
          path: '/v3/videos',
          headers: { 'content-type': 'application/json' },
          body: VIDEO_BODY,
          setupRequest,
          onResponse,
        };
  const result = await autocannon({
    url: options.base_url,
    connections: options.connections,
    duration: options.duration_s,
    requests: [request],
  });
  return {
    endpoint: options.endpoint,
    requests_per_s: result.requests.average,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    non_2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    status_counts,
    first_error_bodies,
  };
}
