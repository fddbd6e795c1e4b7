/** The render-farm signature: what verifies, and every way a forgery or replay does not. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { signatureOf, signedHeaders, verifySignature } from './signing.ts';

const SECRET = 'render-farm-secret-0123456789';
const NOW_MS = 1_795_577_453_000n;
const BODY = '{"job_id":"video_1","event":"completed","duration":8}';

function verify(overrides: Partial<Parameters<typeof verifySignature>[1]> = {}, secret = SECRET) {
  const headers = signedHeaders(SECRET, BODY, NOW_MS);
  return verifySignature(secret, {
    body: BODY,
    timestamp: headers['tollgate-timestamp'],
    signature: headers['tollgate-signature'],
    now_ms: NOW_MS,
    tolerance_ms: 300_000n,
    ...overrides,
  });
}

describe('render-farm signatures', () => {
  it('signs HMAC-SHA256 over "<unix seconds>.<body>" as v1=<hex>', () => {
    expect(signedHeaders(SECRET, BODY, NOW_MS)).toEqual({
      'tollgate-timestamp': '1795577453',
      'tollgate-signature': signatureOf(SECRET, { timestamp_s: 1_795_577_453n, body: BODY }),
    });
    expect(signatureOf(SECRET, { timestamp_s: 1n, body: '' })).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('verifies the signed body within the tolerance, and one of several signatures', () => {
    expect(verify()).toBe(true);
    expect(verify({ now_ms: NOW_MS + 300_000n })).toBe(true);
    const good = signedHeaders(SECRET, BODY, NOW_MS)['tollgate-signature'];
    expect(verify({ signature: `v1=${'0'.repeat(64)}, ${good}` })).toBe(true);
  });

  it('refuses another secret, another body, a stale or future time, and missing headers', () => {
    expect(verify({}, 'another-secret-0123456789')).toBe(false);
    expect(verify({ body: BODY.replace('8', '80') })).toBe(false);
    expect(verify({ now_ms: NOW_MS + 300_001n })).toBe(false);
    expect(verify({ now_ms: NOW_MS - 300_001n })).toBe(false);
    expect(verify({ timestamp: undefined })).toBe(false);
    expect(verify({ signature: undefined })).toBe(false);
    expect(verify({ timestamp: '1795577453.5' })).toBe(false);
  });
});

describe('engine configuration', () => {
  it('defaults every product to the simulator', () => {
    expect(loadConfig({}).engines).toEqual({
      default_engine: 'simulator',
      by_kind: {},
      http: null,
      upstream: null,
    });
  });

  it('takes per-product overrides and the settings of the engines in use', () => {
    const engines = loadConfig({
      TOLLGATE_ENGINE: 'heygen',
      TOLLGATE_ENGINE_SPEECH: 'simulator',
      TOLLGATE_ENGINE_AGENT: 'http',
      TOLLGATE_UPSTREAM_URL: 'https://api.heygen.com/',
      TOLLGATE_UPSTREAM_API_KEY: 'hg_key',
      TOLLGATE_HTTP_ENGINE_URL: 'https://farm.example/jobs',
      TOLLGATE_HTTP_ENGINE_SECRET: SECRET,
    }).engines;
    expect(engines).toMatchObject({
      default_engine: 'heygen',
      by_kind: { speech: 'simulator', agent_video: 'http' },
      upstream: { url: 'https://api.heygen.com', api_key: 'hg_key' },
      http: { url: 'https://farm.example/jobs', heartbeat_timeout_ms: 60_000n },
    });
  });

  it('stops the start when an engine in use lacks its settings, or is unknown', () => {
    expect(() => loadConfig({ TOLLGATE_ENGINE: 'http' })).toThrow(/TOLLGATE_HTTP_ENGINE_URL/);
    expect(() => loadConfig({ TOLLGATE_ENGINE_VIDEO: 'heygen' })).toThrow(/TOLLGATE_UPSTREAM_URL/);
    expect(() => loadConfig({ TOLLGATE_ENGINE_LIPSYNC: 'farm' })).toThrow(
      /^TOLLGATE_ENGINE_LIPSYNC: "farm" is not one of simulator, http, heygen$/,
    );
    expect(() => loadConfig({ TOLLGATE_HTTP_ENGINE_SECRET: 'short' })).toThrow(
      /TOLLGATE_HTTP_ENGINE_SECRET/,
    );
  });
});
