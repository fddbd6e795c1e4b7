/**
 * The dashboard's session at the HTTP edge: the `tollgate_session` cookie (HTTP-only, SameSite
 * Strict, Secure unless the gateway's public URL is plain http on a non-loopback host, path `/`)
 * and the CSRF check. A request with the cookie and no other credential is authenticated by the
 * session; a write (any method but GET, HEAD, OPTIONS) must also carry the session's CSRF token in
 * `x-csrf-token`, or it is refused with 403 `csrf_token_invalid` before anything runs. Cookies
 * never authenticate a request that carries `x-api-key` or `Authorization`: those are checked as
 * before, and a bad one is never rescued by a cookie.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BaseContext } from '../context.ts';
import type { DashboardErrorCode } from '../dashboard/errors.ts';
import {
  csrfTokenMatches,
  type DashboardSession,
  findSession,
  SESSION_TTL_MS,
} from '../dashboard/sessions.ts';
import { DomainError } from '../shared/errors.ts';

export const SESSION_COOKIE = 'tollgate_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A cookie header longer than this is not parsed (cookies are bounded by browsers at ~4 KB). */
const COOKIE_HEADER_CHARS_MAX = 8_192;

/** The session cookie's value, or null. */
export function sessionSecretOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || header.length > COOKIE_HEADER_CHARS_MAX) return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const secret = value.join('=');
      return /^[A-Za-z0-9_-]{16,128}$/.test(secret) ? secret : null;
    }
  }
  return null;
}

/** True when the request carries a credential other than the cookie. */
export function hasHeaderCredential(request: FastifyRequest): boolean {
  return request.headers['x-api-key'] !== undefined || request.headers.authorization !== undefined;
}

/**
 * The live session of the request's cookie, or null; on a write, throws `csrf_token_invalid`
 * unless `x-csrf-token` is the session's token.
 */
export async function sessionOf(
  ctx: Pick<BaseContext, 'db' | 'clock'>,
  request: FastifyRequest,
): Promise<{ session: DashboardSession; secret: string } | null> {
  const secret = sessionSecretOf(request);
  if (secret === null) return null;
  const session = await findSession(ctx, secret);
  if (session === null) return null;
  if (!SAFE_METHODS.has(request.method)) {
    const token = request.headers[CSRF_HEADER];
    if (typeof token !== 'string' || !csrfTokenMatches(secret, token)) {
      throw new DomainError<DashboardErrorCode>(
        'csrf_token_invalid',
        'Missing or wrong CSRF token. Reload the dashboard and try again.',
        { param: CSRF_HEADER },
      );
    }
  }
  return { session, secret };
}

function secureCookie(public_url: string): boolean {
  const url = new URL(public_url);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return url.protocol === 'https:' || loopback;
}

export function setSessionCookie(
  reply: FastifyReply,
  options: { secret: string; public_url: string },
): void {
  const attributes = [
    `${SESSION_COOKIE}=${options.secret}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Number(SESSION_TTL_MS / 1000n)}`,
  ];
  if (secureCookie(options.public_url)) attributes.push('Secure');
  void reply.header('set-cookie', attributes.join('; '));
}

export function clearSessionCookie(reply: FastifyReply, public_url: string): void {
  const attributes = [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0'];
  if (secureCookie(public_url)) attributes.push('Secure');
  void reply.header('set-cookie', attributes.join('; '));
}
