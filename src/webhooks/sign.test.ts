import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import { drainWorker, PHOTO_720P, submit } from '../../test/videos.ts';
import { useWebhookReceiver } from '../../test/webhook-receiver.ts';
import { runWebhookTick } from './deliver.ts';

type Headers = Record<string, string | string[] | undefined>;
type Sample = {
  verifyStandardWebhook: (secret: string, headers: Headers, rawBody: string) => unknown;
  verifyHeygenSignature: (secret: string, headers: Headers, rawBody: string) => boolean;
};

const ROOT = join(import.meta.dirname, '..', '..');

/** The README's sample, exactly as printed between its markers, as an importable module. */
async function loadReadmeSample(): Promise<Sample> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block =
    /<!-- verify-webhook:start -->\n```js\n([\s\S]*?)```\n<!-- verify-webhook:end -->/.exec(readme);
  if (block === null) throw new Error('README.md has no verify-webhook sample');
  // Inside node_modules so the sample's `import 'standardwebhooks'` resolves as a user's would.
  const dir = join(ROOT, 'node_modules', '.cache', 'tollgate-readme');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `verify-webhook-${process.pid}.mjs`);
  writeFileSync(file, block[1]!);
  return (await import(file)) as Sample;
}

describe.each(dialects)('webhook signatures on %s', (dialect) => {
  const t = useServer(dialect, {
    env: { TOLLGATE_ALLOW_PRIVATE_URLS: '1' },
    customer: { username: 'ada', paid_micro_usd: 5_000_000n },
  });
  const receiver = useWebhookReceiver();
  let sample: Sample;

  beforeAll(async () => {
    sample = await loadReadmeSample();
  });

  it('a delivery verifies with the README sample code, both ways; a tampered one does not', async () => {
    // Standard Webhooks checks the timestamp against the real time.
    t.ctx.clock.set(BigInt(Date.now()));
    const created = await t.app.inject({
      method: 'POST',
      url: '/v3/webhooks/endpoints',
      headers: t.ada.headers,
      payload: { url: receiver.url() },
    });
    const { secret } = created.json().data as { secret: string };
    await submit(t.app, t.ada, PHOTO_720P);
    await drainWorker(t.ctx);
    await runWebhookTick(t.ctx);
    await runWebhookTick(t.ctx);
    const [hook] = receiver.accepted;
    expect(hook).toBeDefined();
    const { headers, body } = hook!;
    expect(sample.verifyStandardWebhook(secret, headers, body)).toMatchObject({
      event_type: 'avatar_video.success',
    });
    expect(sample.verifyHeygenSignature(secret, headers, body)).toBe(true);
    expect(headers['heygen-event-id']).toBe(headers['webhook-id']);
    const tampered = body.replace('avatar_video.success', 'avatar_video.fail');
    expect(() => sample.verifyStandardWebhook(secret, headers, tampered)).toThrow();
    expect(sample.verifyHeygenSignature(secret, headers, tampered)).toBe(false);
    const otherSecret = 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(() => sample.verifyStandardWebhook(otherSecret, headers, body)).toThrow();
    expect(sample.verifyHeygenSignature(otherSecret, headers, body)).toBe(false);
    await expectLedgerBalanced(t.ctx);
  });
});
