import { describe, expect, it } from 'vitest';
import { balanceOf, type Customer, createCustomer } from '../../test/customers.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { drainWorker, jobRow, PHOTO_720P, PHOTO_720P_CHARGE_MICRO_USD } from '../../test/videos.ts';
import type { Credential } from '../billing/pools.ts';
import { withTransaction } from '../context.ts';
import { listAccountEvents } from '../events/events.ts';
import { submitVideo } from '../jobs/submit.ts';
import { DomainError } from '../shared/errors.ts';
import { refundJob } from '../wallets/refunds.ts';
import { savePlan } from './catalog.ts';
import { premiumAccountId } from './credit-accounts.ts';
import { grantCreditPack } from './credit-packs.ts';
import { resetDueCycles } from './cycle-reset.ts';
import { readWebPlanCredits, subscribe } from './subscriptions.ts';

const OAUTH: Credential = { kind: 'oauth', user_id: 'user_1', client_id: 'client_1' };
/** Creator: 600 credits a month. */
const CREATOR_MILLI = 600_000n;
/** PHOTO_720P on the default credit card (20 credits/min): 15 s held, 10 s charged. */
const PHOTO_HOLD_MILLI = 5_000n;
const PHOTO_CHARGE_MILLI = 3_334n;

describe.each(dialects)('the web_plan billing pool on %s', (dialect) => {
  const t = useTestContext(dialect);
  const ctx = () => t.ctx;

  async function customerOnPlan(plan_id = 'creator'): Promise<Customer> {
    const customer = await createCustomer(t.ctx, { paid_micro_usd: 10_000_000n });
    await withTransaction(t.ctx, (tx) =>
      subscribe(tx, { account_id: customer.account_id, plan_id }),
    );
    return customer;
  }
  const credits = (customer: Customer) => readWebPlanCredits(t.ctx.db, customer.account_id);
  const submit = (customer: Customer, input: object, credential: Credential | null = OAUTH) =>
    submitVideo(ctx(), { account_id: customer.account_id, input: input as never, credential });

  it('an OAuth job holds and charges exactly its credits and leaves the USD wallet untouched', async () => {
    const ada = await customerOnPlan();
    const walletBefore = await balanceOf(t.ctx, ada);
    const job = await submit(ada, PHOTO_720P);
    expect(job.billing_pool).toBe('web_plan');
    expect(await credits(ada)).toMatchObject({
      premium_free_credit_milli: CREATOR_MILLI - PHOTO_HOLD_MILLI,
      premium_held_credit_milli: PHOTO_HOLD_MILLI,
    });
    await drainWorker(t.ctx);
    expect(await credits(ada)).toMatchObject({
      premium_free_credit_milli: CREATOR_MILLI - PHOTO_CHARGE_MILLI,
      premium_held_credit_milli: 0n,
    });
    const row = await jobRow(t.ctx, job.id);
    expect(row.status).toBe('completed');
    // The job's USD columns stay its USD price; the credits are recorded beside it.
    expect(row.charged_amount_micro_usd).toBe(PHOTO_720P_CHARGE_MICRO_USD);
    const record = await t.ctx.db
      .selectFrom('job_credits')
      .selectAll()
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      hold_credit_milli: PHOTO_HOLD_MILLI,
      charged_credit_milli: PHOTO_CHARGE_MILLI,
      uncollected_credit_milli: 0n,
    });
    expect(await balanceOf(t.ctx, ada)).toEqual(walletBefore);
    await expectLedgerBalanced(t.ctx);
  });

  it('an API-key job on the same account charges the wallet and leaves the credits untouched', async () => {
    const ada = await customerOnPlan();
    const job = await submit(ada, PHOTO_720P, { kind: 'api_key', api_key_id: ada.api_key_id });
    expect(job.billing_pool).toBe('wallet');
    await drainWorker(t.ctx);
    expect((await balanceOf(t.ctx, ada)).settled_micro_usd).toBe(PHOTO_720P_CHARGE_MICRO_USD);
    expect(await credits(ada)).toMatchObject({
      premium_free_credit_milli: CREATOR_MILLI,
      premium_held_credit_milli: 0n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('a USD refund of a web-plan job is refused: it charged no USD, and no money moves', async () => {
    const ada = await customerOnPlan();
    const job = await submit(ada, PHOTO_720P);
    await drainWorker(t.ctx);
    const walletBefore = await balanceOf(t.ctx, ada);
    const refund = withTransaction(t.ctx, (tx) =>
      refundJob(tx, { job_id: job.id, amount_micro_usd: null, memo: 'm', operator: 'op' }),
    );
    await expect(refund).rejects.toMatchObject({ code: 'refund_exceeds_charge' });
    expect(await balanceOf(t.ctx, ada)).toEqual(walletBefore);
    await expectLedgerBalanced(t.ctx);
  });

  it('a failed OAuth job releases its whole credit hold and costs nothing', async () => {
    const ada = await customerOnPlan();
    const job = await submit(ada, {
      ...PHOTO_720P,
      script: `${PHOTO_720P.script} [simulate:fail]`,
    });
    await drainWorker(t.ctx);
    expect((await jobRow(t.ctx, job.id)).status).toBe('failed');
    expect(await credits(ada)).toMatchObject({
      premium_free_credit_milli: CREATOR_MILLI,
      premium_held_credit_milli: 0n,
    });
    const record = await t.ctx.db
      .selectFrom('job_credits')
      .select('charged_credit_milli')
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(record.charged_credit_milli).toBe(0n);
    await expectLedgerBalanced(t.ctx);
  });

  it('a hold takes the premium credits first and the add-on credits after them', async () => {
    await withTransaction(t.ctx, (tx) =>
      savePlan(tx, {
        id: 'tiny',
        name: 'Tiny',
        heygen_plan: 'starter',
        premium_credit_milli: 2_000n,
        cycle_months: 1,
        oauth_concurrency_limit: 2,
      }),
    );
    const ada = await customerOnPlan('tiny');
    await withTransaction(t.ctx, (tx) =>
      grantCreditPack(tx, { account_id: ada.account_id, amount_credit_milli: 10_000n, memo: null }),
    );
    await submit(ada, PHOTO_720P);
    expect(await credits(ada)).toMatchObject({
      premium_free_credit_milli: 0n,
      premium_held_credit_milli: 2_000n,
      add_on_free_credit_milli: 7_000n,
      add_on_held_credit_milli: 3_000n,
    });
    await drainWorker(t.ctx);
    // Charged 3.334 credits: the 2 premium, then 1.334 of the add-on credits.
    expect(await credits(ada)).toMatchObject({
      premium_free_credit_milli: 0n,
      add_on_free_credit_milli: 10_000n - 1_334n,
      add_on_held_credit_milli: 0n,
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('credits short of the hold refuse the job with insufficient_credits and write nothing', async () => {
    await withTransaction(t.ctx, (tx) =>
      savePlan(tx, {
        id: 'tiny',
        name: 'Tiny',
        heygen_plan: 'starter',
        premium_credit_milli: 4_999n,
        cycle_months: 1,
        oauth_concurrency_limit: 2,
      }),
    );
    const ada = await customerOnPlan('tiny');
    const refused = await submit(ada, PHOTO_720P).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'insufficient_credits',
      details: { required_credit_milli: PHOTO_HOLD_MILLI, available_credit_milli: 4_999n },
    });
    const jobs = await t.ctx.db.selectFrom('jobs').select('id').execute();
    expect(jobs).toEqual([]);
    expect(await credits(ada)).toMatchObject({ premium_free_credit_milli: 4_999n });
    await expectLedgerBalanced(t.ctx);
  });

  it('an OAuth job on an account without a web plan is refused with web_plan_required', async () => {
    const ada = await createCustomer(t.ctx, { paid_micro_usd: 10_000_000n });
    await expect(submit(ada, PHOTO_720P)).rejects.toMatchObject({ code: 'web_plan_required' });
    await expectLedgerBalanced(t.ctx);
  });

  it('OAuth jobs stop at the plan’s OAuth limit while API keys keep their own slots', async () => {
    const ada = await customerOnPlan('creator');
    await submit(ada, PHOTO_720P);
    await submit(ada, PHOTO_720P);
    await expect(submit(ada, PHOTO_720P)).rejects.toMatchObject({
      code: 'concurrency_limit_reached',
      details: { concurrency_limit: 2 },
    });
    const byKey = await submit(ada, PHOTO_720P, { kind: 'api_key', api_key_id: ada.api_key_id });
    expect(byKey.billing_pool).toBe('wallet');
    await drainWorker(t.ctx);
    await expectLedgerBalanced(t.ctx);
  });

  it('the cycle reset expires exactly the unused premium credits and regrants once; a job in flight keeps its hold', async () => {
    const ada = await customerOnPlan();
    const first = await credits(ada);
    const resets_at_ms = first.subscription!.resets_at_ms;
    t.ctx.clock.set(resets_at_ms - 60_000n);
    const job = await submit(ada, PHOTO_720P);
    t.ctx.clock.set(resets_at_ms);
    // Two sweeps (two nodes, or a retry): the cycle resets once.
    await withTransaction(t.ctx, (tx) => resetDueCycles(tx, { limit: 10 }));
    await withTransaction(t.ctx, (tx) => resetDueCycles(tx, { limit: 10 }));
    const after = await credits(ada);
    expect(after.subscription!.cycle_number).toBe(2n);
    expect(after.subscription!.resets_at_ms > resets_at_ms).toBe(true);
    expect(after.premium_free_credit_milli).toBe(CREATOR_MILLI);
    const ended = premiumAccountId(ada.account_id, 1n);
    const endedRow = () =>
      t.ctx.db
        .selectFrom('ledger_accounts')
        .selectAll()
        .where('id', '=', ended)
        .executeTakeFirstOrThrow();
    expect(await endedRow()).toMatchObject({ debits_pending: PHOTO_HOLD_MILLI });
    await drainWorker(t.ctx);
    expect((await jobRow(t.ctx, job.id)).status).toBe('completed');
    // The job was charged on the ended cycle; what it released there expired too.
    const row = await endedRow();
    expect(row.credits_posted - row.debits_posted - row.debits_pending).toBe(0n);
    const expired = await t.ctx.db
      .selectFrom('ledger_transfers')
      .select('amount')
      .where('debit_account_id', '=', ended)
      .where('code', '=', 22n)
      .execute();
    const expiredTotal = expired.reduce((sum, transfer) => sum + transfer.amount, 0n);
    expect(expiredTotal).toBe(CREATOR_MILLI - PHOTO_CHARGE_MILLI);
    expect((await credits(ada)).premium_free_credit_milli).toBe(CREATOR_MILLI);
    const events = await listAccountEvents(t.ctx.db, ada.account_id, {
      limit: 10,
      after: null,
      type: 'credits.reset',
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      plan: 'creator',
      expired_credit_milli: Number(CREATOR_MILLI - PHOTO_HOLD_MILLI),
      granted_credit_milli: Number(CREATOR_MILLI),
    });
    await expectLedgerBalanced(t.ctx);
  });

  it('an admission after resets_at resets the cycle itself before holding', async () => {
    const ada = await customerOnPlan();
    await submit(ada, PHOTO_720P);
    await drainWorker(t.ctx);
    const { subscription } = await credits(ada);
    t.ctx.clock.set(subscription!.resets_at_ms + 1n);
    await submit(ada, PHOTO_720P);
    expect(await credits(ada)).toMatchObject({
      premium_free_credit_milli: CREATOR_MILLI - PHOTO_HOLD_MILLI,
      subscription: { cycle_number: 2n },
    });
    await drainWorker(t.ctx);
    await expectLedgerBalanced(t.ctx);
  });
});
