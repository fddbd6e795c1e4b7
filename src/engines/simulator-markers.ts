/**
 * The simulator's markers (docs/simulator.md), the names users' scripts rely on:
 * - `[simulate:duration=S]` in a text field (script, prompt, title, message, text), or
 *   `#simulate:duration=S` as a media URL's fragment, sets that source's or output's duration to
 *   S seconds (up to 3 decimals, so exact in milliseconds);
 * - `[simulate:fail]` in a text field, or `#simulate:fail` as a media URL's fragment, fails the job.
 * A fragment may hold several directives joined by `&`. Pure; no state.
 */
import type { MediaInput } from './inputs.ts';

export const SIMULATE_FAIL_MARKER = '[simulate:fail]';
const TEXT_DURATION = /\[simulate:duration=(\d{1,7})(?:\.(\d{1,3}))?\]/;
const FRAGMENT_DURATION = /^simulate:duration=(\d{1,7})(?:\.(\d{1,3}))?$/;

function toMs(whole: string, fraction: string | undefined): bigint {
  return BigInt(whole) * 1000n + BigInt((fraction ?? '').padEnd(3, '0'));
}

/** The duration a text's first `[simulate:duration=S]` marker sets, in ms; null without one. */
export function textDurationMs(text: string | null | undefined): bigint | null {
  if (typeof text !== 'string') return null;
  const match = TEXT_DURATION.exec(text);
  return match === null ? null : toMs(match[1]!, match[2]);
}

/** Whether any of the texts asks the simulator to fail. */
export function textAsksToFail(...texts: (string | null | undefined)[]): boolean {
  return texts.some((text) => typeof text === 'string' && text.includes(SIMULATE_FAIL_MARKER));
}

function fragmentDirectives(url: string | null | undefined): string[] {
  if (typeof url !== 'string') return [];
  const hash = url.indexOf('#');
  return hash === -1 ? [] : url.slice(hash + 1).split('&');
}

/** The duration a URL's `#simulate:duration=S` fragment sets, in ms; null without one. */
export function urlDurationMs(url: string | null | undefined): bigint | null {
  for (const directive of fragmentDirectives(url)) {
    const match = FRAGMENT_DURATION.exec(directive);
    if (match !== null) return toMs(match[1]!, match[2]);
  }
  return null;
}

/** Whether any of the URLs carries `#simulate:fail`. */
export function urlAsksToFail(...urls: (string | null | undefined)[]): boolean {
  return urls.some((url) => fragmentDirectives(url).includes('simulate:fail'));
}

/** A media input's URL (an uploaded asset has none the simulator can read). */
export function mediaUrl(media: MediaInput | null | undefined): string | null {
  return media?.type === 'url' ? (media.url ?? null) : null;
}
