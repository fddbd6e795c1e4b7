/**
 * The authorization server's pages: sign-in and consent, plain server-rendered HTML with every
 * interpolated value escaped, forms that post back to the same interaction with a CSRF token,
 * and headers that forbid framing (clickjacking) and caching.
 */
import { escapeHtml } from '../shared/html.ts';

export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // No form-action: a browser applies it to the redirect to the client after consent.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}' +
  'label,input,button{display:block;width:100%;margin:.4rem 0}input,button{padding:.5rem}' +
  '.error{color:#b00020}';

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export type SignInPage = {
  action: string;
  csrf: string;
  client_name: string;
  email: string;
  error: string | null;
};

export function renderSignInPage(view: SignInPage): string {
  const error =
    view.error === null ? '' : `<p class="error" role="alert">${escapeHtml(view.error)}</p>`;
  return page(
    'Sign in',
    `<p>Sign in to connect <strong>${escapeHtml(view.client_name)}</strong> to your account.</p>${error}` +
      `<form method="post" action="${escapeHtml(view.action)}">` +
      `<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">` +
      `<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(view.email)}">` +
      '<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>' +
      '<button type="submit">Sign in</button></form>',
  );
}

export type ConsentPage = {
  action: string;
  csrf: string;
  client_name: string;
  user_email: string;
  scopes: string[];
};

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Stay connected when you are away',
};

export function renderConsentPage(view: ConsentPage): string {
  const items = view.scopes
    .map((scope) => `<li>${escapeHtml(SCOPE_TEXT[scope] ?? scope)}</li>`)
    .join('');
  return page(
    'Allow access?',
    `<p><strong>${escapeHtml(view.client_name)}</strong> asks to use your account ` +
      `(signed in as ${escapeHtml(view.user_email)}) and to create videos billed to your web plan.</p>` +
      `<ul>${items}</ul><form method="post" action="${escapeHtml(view.action)}">` +
      `<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">` +
      '<button type="submit" name="decision" value="allow">Allow</button>' +
      '<button type="submit" name="decision" value="deny">Deny</button></form>',
  );
}
