/**
 * The media probe: how long a source (audio or video at a URL) lasts, read from its header with
 * ONE ranged read (`Range: bytes=0-<probe_bytes_max − 1>`) through the outbound guard
 * (`net/outbound.ts`: https only and no private target unless allowed, redirects re-checked),
 * within `probe_timeout_ms` and `probe_bytes_max`, parsed by `music-metadata` (MP4/MOV, MP3,
 * WAV, …). The file's total size (from `Content-Range`) is given to the parser, so formats whose
 * duration follows from the size (a WAV's data chunk, a constant-bitrate MP3) are sized from a
 * partial read. Never throws: a source that cannot be read or parsed in bounds is `null`, and
 * the hold falls back to the product's documented maximum (`products/media.ts`).
 */
import { parseWebStream } from 'music-metadata';
import type { AppContext } from '../context.ts';
import { fetchOutbound } from '../net/outbound.ts';

/** The probed duration in milliseconds, rounded up; null when it cannot be known in bounds. */
export async function probeMediaDurationMs(
  ctx: Pick<AppContext, 'config' | 'log'>,
  url: string,
): Promise<bigint | null> {
  const { probe_bytes_max, probe_timeout_ms } = ctx.config.limits;
  try {
    const response = await fetchOutbound(
      ctx.config,
      url,
      { method: 'GET', headers: { range: `bytes=0-${probe_bytes_max - 1}` } },
      { timeout_ms: probe_timeout_ms, max_bytes: probe_bytes_max },
    );
    if (response.status !== 200 && response.status !== 206) return null;
    const mimeType = headerOf(response.headers, 'content-type')?.split(';')[0]?.trim();
    const size = totalSizeOf(response.status, response.headers) ?? response.body.length;
    const bytes = new Uint8Array(response.body);
    const stream = new ReadableStream({
      type: 'bytes',
      start(controller: ReadableByteStreamController) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    const metadata = await withTimeout(
      parseWebStream(stream, { mimeType, size }, { duration: true, skipCovers: true }),
      probe_timeout_ms,
    );
    const seconds = metadata.format.duration;
    if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return null;
    return BigInt(Math.ceil(seconds * 1000));
  } catch (err) {
    ctx.log.info({ err, url_host: hostOf(url) }, 'media probe could not size a source');
    return null;
  }
}

/** The whole file's size: `Content-Range: bytes 0-N/TOTAL` of a 206, `Content-Length` of a 200. */
function totalSizeOf(status: number, headers: unknown): number | undefined {
  const text =
    status === 206 ? headerOf(headers, 'content-range') : headerOf(headers, 'content-length');
  if (text === undefined) return undefined;
  const match = status === 206 ? /\/(\d{1,15})$/.exec(text) : /^(\d{1,15})$/.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/** A header of a `Headers` object or of a plain record, whichever the outbound call returns. */
function headerOf(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function hostOf(url: string): string | null {
  return URL.canParse(url) ? new URL(url).host : null;
}

function withTimeout<T>(promise: Promise<T>, timeout_ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('media probe timed out')), timeout_ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
