/**
 * Every call Tollgate makes to a URL it was given (webhook endpoints, job `callback_url`s, render
 * workers, upstreams, media probes) goes through this module. It guarantees:
 * - the URL is https, and its host resolves only to public unicast addresses (`addresses.ts`);
 * - the connection goes to the address that was checked: the socket's DNS lookup is pinned to
 *   the checked answer, so a second, different answer (DNS rebinding) cannot swap the target;
 * - redirects are followed by hand, at most `REDIRECTS_MAX`, and each target is checked again;
 * - the whole call, redirects included, ends within `timeout_ms`, and a body larger than
 *   `max_bytes` is cut off and refused.
 * `TOLLGATE_ALLOW_PRIVATE_URLS=1` (`config.allow_private_urls`) lifts the https-only and the
 * public-address rules for development and tests; the bounds stay.
 */

import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import type { Config } from '../config.ts';
import { DomainError } from '../shared/errors.ts';
import { literalAddress, refusedRange } from './addresses.ts';
import type { NetErrorCode } from './errors.ts';

/** Redirects one call follows at most. */
export const REDIRECTS_MAX = 3;
/** Longest URL Tollgate stores or calls, in characters. */
export const OUTBOUND_URL_CHARS_MAX = 2_048;

type OutboundConfig = Pick<Config, 'allow_private_urls'>;

export type OutboundInit = {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string | Buffer;
};

export type OutboundBounds = { timeout_ms: number; max_bytes: number };

export type OutboundResponse = {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
};

/** A checked target: the URL and the addresses its connection may use. */
export type CheckedTarget = { url: URL; addresses: LookupAddress[] };

/**
 * Checks that `url` may be called and returns it parsed. Throws `outbound_url_refused` naming
 * `options.param` (the caller's input field) when it may not.
 */
export async function checkOutboundUrl(
  config: OutboundConfig,
  url: string | URL,
  options: { param?: string } = {},
): Promise<URL> {
  return (await checkTarget(config, url, options.param ?? null)).url;
}

/**
 * Calls `url` within `bounds`, following redirects by hand and checking each target. Resolves
 * with any HTTP status (a 500 is a response, not an error); throws `outbound_url_refused` for a
 * refused target (the first URL or a redirect) and `outbound_request_failed` when no response
 * arrives in time, the body is too large, or redirects exceed `REDIRECTS_MAX`.
 */
export async function fetchOutbound(
  config: OutboundConfig,
  url: string | URL,
  init: OutboundInit,
  bounds: OutboundBounds,
): Promise<OutboundResponse> {
  return fetchChecked(config, await checkTarget(config, url, null), init, bounds);
}

/**
 * `fetchOutbound` from an already checked first target (`checkTarget`); every redirect is
 * checked again under `config`.
 */
export async function fetchChecked(
  config: OutboundConfig,
  first: CheckedTarget,
  init: OutboundInit,
  bounds: OutboundBounds,
): Promise<OutboundResponse> {
  const signal = AbortSignal.timeout(bounds.timeout_ms);
  let target = first;
  let current: OutboundInit = init;
  for (let hop = 0; hop <= REDIRECTS_MAX; hop += 1) {
    const response = await requestPinned(target, current, bounds, signal);
    const location = response.headers.location;
    if (!isRedirect(response.status) || location === undefined) return response;
    const next = new URL(location, target.url);
    current = redirectedInit(current, response.status, target.url.origin !== next.origin);
    target = await checkTarget(config, next, null);
  }
  throw failed('too_many_redirects', `More than ${REDIRECTS_MAX} redirects.`);
}

/**
 * The checks of a URL that need no DNS answer, for a request's hot path (a job's `callback_url`
 * at admission): a valid URL of at most `OUTBOUND_URL_CHARS_MAX` characters, https, no
 * credentials, and, unless private URLs are allowed, a host that is neither an IP literal of a
 * refused range nor `localhost`. A name's resolved addresses are checked when it is called
 * (`checkTarget`). Throws `outbound_url_refused` naming `options.param`.
 */
export function checkOutboundUrlSyntax(
  config: OutboundConfig,
  input: string | URL,
  options: { param?: string } = {},
): URL {
  const param = options.param ?? null;
  const url = parseUrl(config, input, param);
  if (!config.allow_private_urls) {
    const literal = literalAddress(url.hostname);
    const range = literal === null ? null : refusedRange(literal);
    if (range !== null) throw refused(`is a ${range} address`, param);
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    if (host === 'localhost' || host.endsWith('.localhost')) throw refused('is loopback', param);
  }
  return url;
}

/** Parses and checks one URL, resolving its host once; the answer is what the socket uses. */
export async function checkTarget(
  config: OutboundConfig,
  input: string | URL,
  param: string | null,
): Promise<CheckedTarget> {
  const url = parseUrl(config, input, param);
  const addresses = await resolveHost(url.hostname, param);
  if (!config.allow_private_urls) {
    for (const { address } of addresses) {
      const range = refusedRange(address);
      if (range !== null) throw refused(`resolves to a ${range} address`, param);
    }
  }
  return { url, addresses };
}

function parseUrl(config: OutboundConfig, input: string | URL, param: string | null): URL {
  const text = String(input);
  if (text.length > OUTBOUND_URL_CHARS_MAX || !URL.canParse(text)) {
    throw refused('is not a valid URL', param);
  }
  const url = new URL(text);
  const schemes = config.allow_private_urls ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw refused(`must use ${schemes.join(' or ')}`, param);
  if (url.username !== '' || url.password !== '')
    throw refused('must not carry credentials', param);
  return url;
}

async function resolveHost(hostname: string, param: string | null): Promise<LookupAddress[]> {
  const literal = literalAddress(hostname);
  if (literal !== null) return [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  try {
    const answer = await dnsLookup(hostname, { all: true, verbatim: true });
    if (answer.length > 0) return answer;
  } catch {
    // Fall through: a host that does not resolve is refused like any other bad target.
  }
  throw refused('has a host that does not resolve', param);
}

/** A socket lookup that answers with the checked addresses whatever the name (no rebinding). */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all === true) return callback(null, addresses);
    const first = addresses[0]!;
    return callback(null, first.address, first.family);
  };
}

async function requestPinned(
  target: CheckedTarget,
  init: OutboundInit,
  bounds: OutboundBounds,
  signal: AbortSignal,
): Promise<OutboundResponse> {
  const agent = new Agent({
    connect: { lookup: pinnedLookup(target.addresses), timeout: bounds.timeout_ms },
    headersTimeout: bounds.timeout_ms,
    bodyTimeout: bounds.timeout_ms,
    connections: 1,
    pipelining: 0,
  });
  try {
    const response = await request(target.url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      dispatcher: agent,
      signal,
    });
    const body = await readBounded(response.body, bounds.max_bytes);
    return { status: response.statusCode, headers: flatHeaders(response.headers), body };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const reason = signal.aborted ? 'timeout' : 'network';
    throw failed(reason, `The call to ${target.url.host} failed (${reason}).`, err);
  } finally {
    agent.destroy().catch(() => {});
  }
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }, max: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      throw failed('too_large', `The response body is larger than ${max} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function flatHeaders(headers: Record<string, string | string[] | undefined>) {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Headers that carry a credential and never follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

/** Fetch's rules: 303 (and 301/302 after a POST) become a GET without body. */
function redirectedInit(init: OutboundInit, status: number, crossOrigin: boolean): OutboundInit {
  const method = init.method ?? 'GET';
  const toGet =
    status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST';
  const headers = Object.fromEntries(
    Object.entries(init.headers ?? {}).filter(([name]) => {
      const lower = name.toLowerCase();
      if (crossOrigin && CREDENTIAL_HEADERS.includes(lower)) return false;
      return !(toGet && (lower === 'content-type' || lower === 'content-length'));
    }),
  );
  return toGet ? { method: 'GET', headers } : { ...init, headers };
}

function refused(why: string, param: string | null): DomainError<NetErrorCode> {
  return new DomainError('outbound_url_refused', `The URL ${why}.`, { param });
}

function failed(reason: string, message: string, cause?: unknown): DomainError<NetErrorCode> {
  return new DomainError('outbound_request_failed', message, { details: { reason }, cause });
}
