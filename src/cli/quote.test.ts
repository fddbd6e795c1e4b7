import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { createCustomer } from '../../test/customers.ts';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { EXIT_CODES } from './deps.ts';

describe.each(dialects)('tollgate quote (%s)', (dialect) => {
  const t = useTestContext(dialect);
  const cli = (...args: string[]) => runCli(t.ctx, ...args);

  it('prices seconds of output on the rate card in effect: 30 s of speed lipsync at $0.0333/s is $0.999', async () => {
    const ada = await createCustomer(t.ctx);
    const run = await cli(
      'quote',
      ada.account_id,
      '{"product":"lipsync","mode":"speed","duration_s":30}',
      '--json',
    );
    expect(run.exit_code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(run.out)).toMatchObject({
      sku: 'lipsync.speed',
      billed_duration_ms: 30_000,
      amount_micro_usd: 999_000,
      amount_usd: '0.999',
      rate_override_id: null,
    });
  });

  it('refuses what the account may not use, and input that is not a usage', async () => {
    const ada = await createCustomer(t.ctx);
    const avatarIii =
      '{"product":"avatar_video","engine":"avatar_iii","avatar_type":"photo_avatar","resolution":"1080p","duration_s":10}';
    expect((await cli('quote', ada.account_id, avatarIii)).exit_code).toBe(EXIT_CODES.domain);
    const veteran = await createCustomer(t.ctx, {
      username: 'grace',
      existing_avatar_iii_customer: true,
    });
    const allowed = JSON.parse((await cli('quote', veteran.account_id, avatarIii, '--json')).out);
    expect(allowed).toMatchObject({ sku: 'avatar_iii.photo_avatar.hd', amount_micro_usd: 167_000 });
    expect((await cli('quote', ada.account_id, 'not json')).exit_code).toBe(EXIT_CODES.usage);
    const fractional = '{"product":"lipsync","mode":"speed","duration_s":1.0005}';
    expect((await cli('quote', ada.account_id, fractional)).exit_code).toBe(EXIT_CODES.usage);
    expect((await cli('quote', 'acct_nope', '{"product":"lipsync"}')).exit_code).toBe(
      EXIT_CODES.domain,
    );
  });
});
