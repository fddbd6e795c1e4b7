/**
 * A PostgreSQL node's ear for cache invalidations: one dedicated connection (not from the pool)
 * that `LISTEN`s on `CACHE_CHANNEL`. A notification's payload is `<kind>\t<key>` (an empty key:
 * the whole kind). The caches are usable only while the connection listens: when it breaks,
 * everything cached is flushed and bypassed, and reconnecting (after 100 ms, doubling up to 5 s)
 * flushes again once `LISTEN` succeeds, so a notification sent while it was down is never
 * missed. Started on the first cached read, so a CLI command that reads nothing cached never
 * opens it.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { type CacheKind, isCacheKind } from './kinds.ts';

export const CACHE_CHANNEL = 'tollgate_cache';
const RECONNECT_DELAY_MS_MIN = 100;
const RECONNECT_DELAY_MS_MAX = 5_000;

type Hub = { invalidate: (kind: CacheKind, key: string | null) => void; flush: () => void };

export function startPgListener(url: string, hub: Hub, log: Logger) {
  let listening = false;
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let delayMs = RECONNECT_DELAY_MS_MIN;

  const down = (current: pg.Client) => {
    if (client !== current) return;
    client = null;
    listening = false;
    hub.flush();
    current.end().catch(() => {});
    if (closed) return;
    timer = setTimeout(connect, delayMs);
    timer.unref();
    delayMs = Math.min(delayMs * 2, RECONNECT_DELAY_MS_MAX);
  };
  const connect = () => {
    timer = null;
    const current = new pg.Client({ connectionString: url });
    client = current;
    current.on('error', () => down(current));
    current.on('end', () => down(current));
    current.on('notification', (message) => {
      if (message.channel !== CACHE_CHANNEL) return;
      const [kind = '', key = ''] = (message.payload ?? '').split('\t');
      if (isCacheKind(kind)) hub.invalidate(kind, key === '' ? null : key);
      else hub.flush(); // a kind this node does not know: be safe
    });
    current
      .connect()
      .then(() => current.query(`listen ${CACHE_CHANNEL}`))
      .then(() => {
        if (client !== current) return;
        hub.flush();
        listening = true;
        delayMs = RECONNECT_DELAY_MS_MIN;
      })
      .catch((err: unknown) => {
        log.warn({ err }, 'cache invalidation listener could not listen; caches bypassed');
        down(current);
      });
  };
  connect();

  return {
    usable: () => listening,
    close: async () => {
      closed = true;
      listening = false;
      if (timer !== null) clearTimeout(timer);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
