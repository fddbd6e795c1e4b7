/**
 * Prices read through the node's caches (`db/cache/cache-hub.ts`) stay exact: a card created or
 * an override set or removed after the caches were filled is in effect at once on the node that
 * made the change, and on another PostgreSQL node once its notification arrives.
 */
import { describe, expect, it, vi } from 'vitest';
import { createCustomer } from '../../test/customers.ts';
import { createSiblingNode, dialects } from '../../test/harness.ts';
import { fullCardBody } from '../../test/rate-cards.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { type AppContext, withTransaction } from '../context.ts';
import { DEFAULT_RATE_CARD_VERSION } from './default-card.ts';
import { pricingFor } from './pricing-for.ts';
import { createRateCard } from './rate-card-store.ts';
import { removeRateOverride, setRateOverride } from './rate-overrides.ts';

const createCard = (ctx: AppContext, version: string) =>
  withTransaction(ctx, (tx) => {
    const body = fullCardBody(version, { 'video.avatar_iv.720p': '0.09' });
    return createRateCard(tx, { version, effective_at_ms: null, rows: body.rows as never });
  });

describe.each(dialects)('cached pricing on %s', (dialect) => {
  const t = useTestContext(dialect);

  it('a card created after the caches were filled is in effect at once', async () => {
    const ada = await createCustomer(t.ctx);
    const at = () => ({ account_id: ada.account_id, at_ms: t.ctx.clock.now_ms() });
    expect((await pricingFor(t.ctx, at())).rate_card_version).toBe(DEFAULT_RATE_CARD_VERSION);
    t.ctx.clock.advance(1_000n);
    await createCard(t.ctx, 'v2');
    expect((await pricingFor(t.ctx, at())).rate_card_version).toBe('v2');
  });

  it('a card whose creation rolled back never prices anything', async () => {
    const ada = await createCustomer(t.ctx);
    const at = () => ({ account_id: ada.account_id, at_ms: t.ctx.clock.now_ms() });
    await expect(
      withTransaction(t.ctx, async (tx) => {
        const body = fullCardBody('v-gone');
        await createRateCard(tx, {
          version: 'v-gone',
          effective_at_ms: null,
          rows: body.rows as never,
        });
        // Read inside the transaction: its own uncommitted card must not reach the cache.
        expect((await pricingFor(tx, at())).rate_card_version).toBe('v-gone');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await pricingFor(t.ctx, at())).rate_card_version).toBe(DEFAULT_RATE_CARD_VERSION);
  });

  it('an override set or removed after the caches were filled applies at once', async () => {
    const acme = await createCustomer(t.ctx, { username: 'acme', enterprise: true });
    const at = () => ({ account_id: acme.account_id, at_ms: t.ctx.clock.now_ms() });
    expect((await pricingFor(t.ctx, at())).override_id).toBeNull();
    const override = await withTransaction(t.ctx, (tx) =>
      setRateOverride(tx, {
        account_id: acme.account_id,
        rows: [{ sku: 'video_translation.proofread', rate_usd: '0.1' }],
        memo: null,
      }),
    );
    expect((await pricingFor(t.ctx, at())).override_id).toBe(override.id);
    t.ctx.clock.advance(1_000n);
    await withTransaction(t.ctx, (tx) => removeRateOverride(tx, { account_id: acme.account_id }));
    expect((await pricingFor(t.ctx, at())).override_id).toBeNull();
    // The past is still priced as it was: the override was in force a second ago.
    const past = { account_id: acme.account_id, at_ms: t.ctx.clock.now_ms() - 500n };
    expect((await pricingFor(t.ctx, past)).override_id).toBe(override.id);
  });
});

describe.runIf(dialects.includes('postgres'))('cached pricing on two PostgreSQL nodes', () => {
  const t = useTestContext('postgres');

  it('a card created on node B is in effect on node A once the notification arrives', async () => {
    const b = createSiblingNode(t.ctx, 'b');
    try {
      const ada = await createCustomer(t.ctx);
      const at = () => ({ account_id: ada.account_id, at_ms: t.ctx.clock.now_ms() });
      expect((await pricingFor(t.ctx, at())).rate_card_version).toBe(DEFAULT_RATE_CARD_VERSION);
      t.ctx.clock.advance(1_000n);
      await createCard(b, 'v2');
      await vi.waitFor(
        async () => expect((await pricingFor(t.ctx, at())).rate_card_version).toBe('v2'),
        { timeout: 2_000, interval: 5 },
      );
    } finally {
      await b.close();
    }
  });
});
