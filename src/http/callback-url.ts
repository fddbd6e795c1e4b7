/**
 * A job's `callback_url`, checked when the job is created: every job-creating route calls
 * `checkCallbackUrl` before its product's parse step, so an unsafe URL (malformed, not https, an
 * IP literal of a private, loopback or link-local range, `localhost`) is a 400 naming
 * `callback_url` and nothing is written. Only the checks that need no DNS answer run here
 * (`checkOutboundUrlSyntax`), keeping name resolution off admission's hot path; a name's
 * resolved addresses are checked, and pinned, when the callback is delivered.
 * `TOLLGATE_ALLOW_PRIVATE_URLS=1` lifts the https and private-address rules, as for every
 * outbound call.
 */
import type { Config } from '../config.ts';
import { checkOutboundUrlSyntax } from '../net/outbound.ts';

export function checkCallbackUrl(
  config: Pick<Config, 'allow_private_urls'>,
  callback_url: string | null | undefined,
): void {
  if (callback_url === null || callback_url === undefined) return;
  checkOutboundUrlSyntax(config, callback_url, { param: 'callback_url' });
}
