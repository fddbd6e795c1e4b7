import { describe, expect, it } from 'vitest';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';
import { jobRow, PHOTO_720P, submit } from '../../test/videos.ts';
import { poolFor } from './pools.ts';

describe('poolFor', () => {
  it('bills an OAuth credential to the web plan whatever the account pays its API keys with', () => {
    const oauth = { kind: 'oauth', user_id: 'user_1', client_id: 'client_1' } as const;
    expect(poolFor('wallet', oauth)).toBe('web_plan');
    expect(poolFor('usage_based', oauth)).toBe('web_plan');
  });

  it("bills an API key, or no credential, to the account's billing type", () => {
    const key = { kind: 'api_key', api_key_id: 'key_1' } as const;
    expect(poolFor('wallet', key)).toBe('wallet');
    expect(poolFor('usage_based', key)).toBe('usage_based');
    expect(poolFor('wallet', null)).toBe('wallet');
  });
});

describe.each(dialects)('admission records its billing pool on %s', (dialect) => {
  const server = useServer(dialect, { customer: { paid_micro_usd: 10_000_000n } });

  it('a job submitted with an API key is on the wallet pool and names its key', async () => {
    const res = await submit(server.app, server.ada, PHOTO_720P);
    expect(res.statusCode).toBe(200);
    const job = await jobRow(server.ctx, res.json().data.video_id);
    expect(job.billing_pool).toBe('wallet');
    expect(job.api_key_id).toBe(server.ada.api_key_id);
    await expectLedgerBalanced(server.ctx);
  });
});
