/**
 * A real engine sizes holds from real inputs: the media probe reads a source's duration from its
 * header with one ranged read (a hand-written WAV served with HTTP Range by a real server), and
 * admission to a remote engine holds that duration; a source it cannot read (not media, not
 * there) is held at the product's documented maximum. On every dialect, ledger balanced.
 */
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, loadConfig } from '../../src/config.ts';
import { probeMediaDurationMs } from '../../src/engines/media-probe.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { lipsyncApi } from '../lipsyncs.ts';
import { startMediaServer, wavFile } from '../media-server.ts';
import { startRenderWorker } from '../render-worker.ts';
import { useServer } from '../server-fixture.ts';
import { jobRow } from '../videos.ts';

const PROBE_BYTES_MAX = 4_096;
const media = await startMediaServer({
  '/voice.wav': { body: wavFile(12_500), content_type: 'audio/wav' },
  '/notes.txt': { body: Buffer.from('not a medium'.repeat(100)), content_type: 'text/plain' },
});
const worker = await startRenderWorker({
  secret: 'render-farm-secret-0123456789',
  now_ms: () => 0n,
});
afterAll(async () => {
  await media.close();
  await worker.close();
});

describe('probeMediaDurationMs', () => {
  const ctx = {
    config: {
      ...loadConfig({ TOLLGATE_ALLOW_PRIVATE_URLS: '1' }),
      limits: { ...DEFAULT_LIMITS, probe_bytes_max: PROBE_BYTES_MAX },
    },
    log: pino({ level: 'silent' }),
  };

  it('reads a WAV header from a partial ranged read of a 100 kB file', async () => {
    const before = media.ranges.length;
    expect(await probeMediaDurationMs(ctx, `${media.base_url}/voice.wav`)).toBe(12_500n);
    expect(media.ranges.slice(before)).toEqual([`bytes=0-${PROBE_BYTES_MAX - 1}`]);
  });

  it('answers null for what is not media, is missing, or is refused by the outbound guard', async () => {
    expect(await probeMediaDurationMs(ctx, `${media.base_url}/notes.txt`)).toBeNull();
    expect(await probeMediaDurationMs(ctx, `${media.base_url}/missing.wav`)).toBeNull();
    const guarded = { ...ctx, config: { ...ctx.config, allow_private_urls: false } };
    expect(await probeMediaDurationMs(guarded, `${media.base_url}/voice.wav`)).toBeNull();
  });
});

describe.each(dialects)('holds sized by the media probe on %s', (dialect) => {
  const t = useServer(dialect, {
    customer: { paid_micro_usd: 50_000_000n },
    env: {
      TOLLGATE_ENGINE: 'simulator',
      TOLLGATE_ENGINE_LIPSYNC: 'http',
      TOLLGATE_HTTP_ENGINE_URL: worker.url,
      TOLLGATE_HTTP_ENGINE_SECRET: 'render-farm-secret-0123456789',
      TOLLGATE_ALLOW_PRIVATE_URLS: '1',
    },
  });

  it('holds a lipsync for its probed audio, and the documented maximum when unreadable', async () => {
    const api = lipsyncApi(t.app, t.ada);
    const video = { type: 'url', url: `${media.base_url}/talk.mp4` };
    const probed = await api.create({
      video,
      audio: { type: 'url', url: `${media.base_url}/voice.wav` },
    });
    expect(probed.statusCode).toBe(200);
    const probedJob = await jobRow(t.ctx, probed.json().data.lipsync_id);
    // 12.5 s × $0.0333 = $0.41625.
    expect(probedJob).toMatchObject({
      engine: 'http',
      estimate_rule: 'probed_source_duration',
      estimated_duration_ms: 12_500n,
      hold_amount_micro_usd: 416_250n,
    });
    const unknown = await api.create({
      video,
      audio: { type: 'url', url: `${media.base_url}/notes.txt` },
    });
    const unknownJob = await jobRow(t.ctx, unknown.json().data.lipsync_id);
    // HeyGen's 10-minute audio limit: 600 s × $0.0333 = $19.98.
    expect(unknownJob).toMatchObject({
      estimate_rule: 'audio_limit_600_s',
      hold_amount_micro_usd: 19_980_000n,
    });
    expect(await t.wallet()).toMatchObject({ held_micro_usd: 416_250 + 19_980_000 });
    await expectLedgerBalanced(t.ctx);
  });
});
