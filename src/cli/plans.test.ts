import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { readWebPlanCredits } from '../plans/subscriptions.ts';

describe.each(dialects)('tollgate plans, subscriptions and credit-packs CLI on %s', (dialect) => {
  const t = useTestContext(dialect);
  const cli = (...args: string[]) => runCli(t.ctx, ...args);

  it('sets a plan, subscribes an account to it and grants a pack, exactly', async () => {
    const ada = await createCustomer(t.ctx);
    const set = await cli(
      'plans',
      'set',
      'studio',
      '--name',
      'Studio',
      '--heygen-plan',
      'business_plus',
      '--premium-credits',
      '2500.25',
      '--oauth-concurrency-limit',
      '6',
    );
    expect(set.exit_code, set.err).toBe(0);
    expect((await cli('plans', 'list')).out).toContain('studio (business_plus) 2500.25 credits');
    const subscribed = await cli('subscriptions', 'set', ada.account_id, '--plan', 'studio');
    expect(subscribed.exit_code, subscribed.err).toBe(0);
    expect(subscribed.out).toContain('premium 2500.25 free');
    const pack = await cli('credit-packs', 'grant', ada.account_id, '--credits', '40', '--json');
    expect(JSON.parse(pack.out)).toMatchObject({ amount_credit_milli: 40_000 });
    const credits = await readWebPlanCredits(t.ctx.db, ada.account_id);
    expect(credits).toMatchObject({
      premium_free_credit_milli: 2_500_250n,
      add_on_free_credit_milli: 40_000n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('an unknown plan is a domain error (exit 2) and inexact credits a usage error (exit 1)', async () => {
    const ada = await createCustomer(t.ctx);
    const unknown = await cli('subscriptions', 'set', ada.account_id, '--plan', 'gold');
    expect(unknown.exit_code).toBe(2);
    expect(unknown.err).toMatch(/^tollgate: plan_not_found/);
    const inexact = await cli('credit-packs', 'grant', ada.account_id, '--credits', '0.0001');
    expect(inexact.exit_code).toBe(1);
    expect(await t.ctx.db.selectFrom('credit_packs').selectAll().execute()).toEqual([]);
  });
});
