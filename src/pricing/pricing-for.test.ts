import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Customer, createCustomer } from '../../test/customers.ts';
import { createTestContext, dialects, type TestContext } from '../../test/harness.ts';
import { withTransaction } from '../context.ts';
import { DEFAULT_RATE_CARD_VERSION } from './default-card.ts';
import { price } from './price.ts';
import { pricingByRef, pricingFor } from './pricing-for.ts';
import { setRateOverride } from './rate-overrides.ts';

const PROOFREAD_10_S = { product: 'video_translation_proofread', duration_ms: 10_000n } as const;

describe.each(dialects)('pricingFor and pricingByRef on %s', (dialect) => {
  let ctx: TestContext;
  let acme: Customer;
  let ada: Customer;
  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    acme = await createCustomer(ctx, { username: 'acme', enterprise: true });
    ada = await createCustomer(ctx, { username: 'ada' });
  });
  afterEach(async () => {
    await ctx.close();
  });

  const now = () => ctx.clock.now_ms();

  it('an Enterprise proofread rate on an override prices proofread for that account only', async () => {
    const override = await withTransaction(ctx, (tx) =>
      setRateOverride(tx, {
        account_id: acme.account_id,
        rows: [{ sku: 'video_translation.proofread', rate_usd: '0.1' }],
        memo: null,
      }),
    );
    const acmePricing = await pricingFor(ctx, { account_id: acme.account_id, at_ms: now() });
    expect(acmePricing).toMatchObject({
      rate_card_version: DEFAULT_RATE_CARD_VERSION,
      override_id: override.id,
    });
    expect(price(acmePricing.card, PROOFREAD_10_S).amount_micro_usd).toBe(1_000_000n);
    const adaPricing = await pricingFor(ctx, { account_id: ada.account_id, at_ms: now() });
    expect(adaPricing.override_id).toBeNull();
    expect(() => price(adaPricing.card, PROOFREAD_10_S)).toThrow(
      expect.objectContaining({ code: 'product_not_offered' }),
    );
  });

  it('pricingByRef gives the override a job recorded after a newer one replaced it', async () => {
    const set = (rate_usd: string) =>
      withTransaction(ctx, (tx) =>
        setRateOverride(tx, {
          account_id: ada.account_id,
          rows: [{ sku: 'lipsync.speed', rate_usd }],
          memo: null,
        }),
      );
    const old = await set('0.02');
    ctx.clock.advance(1n);
    await set('0.01');
    const usage = { product: 'lipsync', mode: 'speed', duration_ms: 1_000n } as const;
    const ref = { rate_card_version: DEFAULT_RATE_CARD_VERSION, override_id: old.id };
    expect(price((await pricingByRef(ctx, ref)).card, usage).amount_micro_usd).toBe(20_000n);
    const current = await pricingFor(ctx, { account_id: ada.account_id, at_ms: now() });
    expect(price(current.card, usage).amount_micro_usd).toBe(10_000n);
  });

  it('a version or override that does not exist is rate_card_not_found', async () => {
    await expect(
      pricingByRef(ctx, { rate_card_version: 'gone', override_id: null }),
    ).rejects.toMatchObject({ code: 'rate_card_not_found' });
    await expect(
      pricingByRef(ctx, { rate_card_version: DEFAULT_RATE_CARD_VERSION, override_id: 'ovr_x' }),
    ).rejects.toMatchObject({ code: 'rate_card_not_found' });
  });
});
