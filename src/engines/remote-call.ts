/**
 * One call to a remote engine (a render worker, an upstream), through the outbound guard
 * (`net/outbound.ts`) with the engine bounds (`engine_request_timeout_ms`,
 * `engine_response_bytes_max`). Never throws for the network: a call that could not be made, or
 * whose body is not JSON, is an answer the caller can act on (`unreachable`, `json: null`).
 */
import type { AppContext } from '../context.ts';
import { fetchOutbound } from '../net/outbound.ts';

export type RemoteAnswer =
  | { reachable: true; status: number; json: unknown }
  | { reachable: false; reason: string };

export async function callRemote(
  ctx: Pick<AppContext, 'config' | 'log'>,
  request: { url: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<RemoteAnswer> {
  const limits = ctx.config.limits;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetchOutbound(
      ctx.config,
      request.url,
      { method: request.method, headers, body: request.body },
      { timeout_ms: limits.engine_request_timeout_ms, max_bytes: limits.engine_response_bytes_max },
    );
    return { reachable: true, status: response.status, json: parseJson(response.body) };
  } catch (err) {
    ctx.log.warn({ err, method: request.method }, 'a remote engine call failed');
    return { reachable: false, reason: err instanceof Error ? err.message : 'call failed' };
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

/** Whether a status means "try again later" rather than "refused". */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** The field of a JSON object, or undefined. */
export function fieldOf(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** A request as forwarded to an engine: without the customer's callback (Tollgate calls it). */
export function forwardedRequest(request: unknown): Record<string, unknown> {
  const { callback_url: _url, callback_id: _id, ...rest } = request as Record<string, unknown>;
  return rest;
}

/** A duration in seconds (a JSON number ≥ 0) as whole milliseconds, rounded up; else null. */
export function secondsToMs(value: unknown, duration_ms_max: bigint): bigint | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  const ms = BigInt(Math.ceil(Math.round(value * 1e6) / 1e3));
  return ms > duration_ms_max ? duration_ms_max : ms;
}
