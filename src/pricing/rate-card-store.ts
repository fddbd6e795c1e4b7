/**
 * The operator's rate cards in the database: immutable versions, each taking effect at its
 * `effective_at_ms` (now or later, never in the past, so no admitted job is repriced). The built-in
 * default card (the seed's table, effective from 0) is always a version, so an empty database
 * prices on it. The card in effect at an instant is the stored card with the latest
 * `effective_at_ms` at or before it, else the default card.
 *
 * Reads go through the node's caches (`db/cache/cache-hub.ts`): a card by version (immutable) and
 * the index of versions and their instants, which `createRateCard` invalidates on every node. So
 * pricing an admission reads no rate card from the database.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import { announceInvalidation } from '../db/cache/announce.ts';
import type { CacheHub } from '../db/cache/cache-hub.ts';
import type { DB } from '../db/database.ts';
import { assert } from '../shared/assert.ts';
import { stringifyJson } from '../shared/json.ts';
import {
  type RateCardInput,
  type RateRowInput,
  toRawRow,
  validateRateCardInput,
} from './card-input.ts';
import { DEFAULT_RATE_CARD } from './default-card.ts';
import { pricingError } from './errors.ts';
import type { RateCardRecord } from './pricing.table.ts';
import { loadRateCard, type RateCard } from './rate-card.ts';

/** What reads prices: the database (or a transaction) and the node's caches. */
export type PricingReader = { db: Kysely<DB>; caches: CacheHub };

/** Stored card versions the index caches at most; past it, `rateCardAt` queries every time. */
const RATE_CARD_INDEX_CACHED_MAX = 1_000;

type CardIndex = readonly { version: string; effective_at_ms: bigint }[];

/** A card as the operator API lists it: where it stands at the instant asked. */
export type RateCardVersion = {
  card: RateCard;
  /** `scheduled` (not yet in effect), `active` (in effect now) or `superseded`. */
  status: 'scheduled' | 'active' | 'superseded';
  /** `true` for the built-in default card, which is not stored. */
  built_in: boolean;
  created_at_ms: bigint | null;
};

/**
 * Stores a new card version. `effective_at_ms` null means now. Rejects (`rate_card_rejected`,
 * naming the field) a card that breaks a rule, a time in the past or one another card already
 * takes effect at; `rate_card_version_taken` for a version that exists. Writes nothing on error.
 */
export async function createRateCard(
  tx: TxContext,
  input: Omit<RateCardInput, 'effective_at_ms'> & { effective_at_ms: bigint | null },
): Promise<RateCardVersion> {
  const now_ms = tx.clock.now_ms();
  const effective_at_ms = input.effective_at_ms ?? now_ms;
  if (effective_at_ms < now_ms) {
    throw pricingError(
      'rate_card_rejected',
      'effective_at is in the past; a rate card takes effect now or later, never retroactively',
      'effective_at',
    );
  }
  const card = validateRateCardInput({ ...input, effective_at_ms });
  // Before any read or write of this transaction, so no node caches an index without the card.
  await announceInvalidation(tx, 'rate_card_index', null);
  if ((await findRateCard(tx, card.version)) !== null) {
    throw pricingError(
      'rate_card_version_taken',
      `Rate card version ${card.version} already exists; versions are immutable, use a new one.`,
      'version',
    );
  }
  const rival = await tx.db
    .selectFrom('rate_cards')
    .select('version')
    .where('effective_at_ms', '=', effective_at_ms)
    .executeTakeFirst();
  if (rival !== undefined) {
    throw pricingError(
      'rate_card_rejected',
      `rate card ${rival.version} already takes effect at that instant; only one may`,
      'effective_at',
    );
  }
  await tx.db
    .insertInto('rate_cards')
    .values({
      version: card.version,
      effective_at_ms,
      rows_json: stringifyJson(input.rows),
      created_at_ms: now_ms,
    })
    .execute();
  const status = effective_at_ms > now_ms ? 'scheduled' : 'active';
  return { card, status, built_in: false, created_at_ms: now_ms };
}

/** The card in effect at `at_ms`: the latest stored one at or before it, else the default card. */
export async function rateCardAt(ctx: PricingReader, at_ms: bigint): Promise<RateCard> {
  const index = await ctx.caches.read('rate_card_index', '', () => cardIndexOf(ctx.db));
  if (index === undefined) {
    const record = await ctx.db
      .selectFrom('rate_cards')
      .select('version')
      .where('effective_at_ms', '<=', at_ms)
      .orderBy('effective_at_ms', 'desc')
      .limit(1)
      .executeTakeFirst();
    return record === undefined ? DEFAULT_RATE_CARD : storedCard(ctx, record.version);
  }
  const entry = index.find((item) => item.effective_at_ms <= at_ms);
  return entry === undefined ? DEFAULT_RATE_CARD : storedCard(ctx, entry.version);
}

/** Every stored version, latest `effective_at_ms` first; `undefined` past the cached maximum. */
async function cardIndexOf(db: Kysely<DB>): Promise<CardIndex | undefined> {
  const rows = await db
    .selectFrom('rate_cards')
    .select(['version', 'effective_at_ms'])
    .orderBy('effective_at_ms', 'desc')
    .limit(RATE_CARD_INDEX_CACHED_MAX + 1)
    .execute();
  return rows.length > RATE_CARD_INDEX_CACHED_MAX ? undefined : rows;
}

async function storedCard(ctx: PricingReader, version: string): Promise<RateCard> {
  const card = await findRateCard(ctx, version);
  assert(card !== null, `rate card ${version} is stored`);
  return card;
}

/** The card with `version` (stored or the default), or `null`. */
export async function findRateCard(ctx: PricingReader, version: string): Promise<RateCard | null> {
  if (version === DEFAULT_RATE_CARD.version) return DEFAULT_RATE_CARD;
  const card = await ctx.caches.read('rate_card', version, async () => {
    const record = await ctx.db
      .selectFrom('rate_cards')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    return record === undefined ? undefined : toRateCard(record);
  });
  return card ?? null;
}

/** The card with `version` and its status at `at_ms`, or `rate_card_version_not_found` (404). */
export async function getRateCardVersion(
  ctx: PricingReader,
  request: { version: string; at_ms: bigint },
): Promise<RateCardVersion> {
  const card = await findRateCard(ctx, request.version);
  if (card === null) {
    throw pricingError(
      'rate_card_version_not_found',
      `Rate card version ${request.version} not found.`,
      'version',
    );
  }
  const active = await rateCardAt(ctx, request.at_ms);
  return toVersion(card, active, request.at_ms);
}

/**
 * One page of card versions, latest `effective_at_ms` first, the default card last. Fetches
 * `limit + 1` so the caller can tell whether another page follows; `before_effective_at_ms` is
 * the last item of the previous page.
 */
export async function listRateCardVersions(
  ctx: PricingReader,
  page: { at_ms: bigint; limit: number; before_effective_at_ms: bigint | null },
): Promise<RateCardVersion[]> {
  assert(page.limit >= 1, 'a page holds at least one card');
  let query = ctx.db.selectFrom('rate_cards').selectAll();
  if (page.before_effective_at_ms !== null) {
    query = query.where('effective_at_ms', '<', page.before_effective_at_ms);
  }
  const records = await query
    .orderBy('effective_at_ms', 'desc')
    .limit(page.limit + 1)
    .execute();
  const cards = records.map(toRateCard);
  // The default card (effective from 0) comes after every stored card.
  if (cards.length <= page.limit && (page.before_effective_at_ms ?? 1n) > 0n) {
    cards.push(DEFAULT_RATE_CARD);
  }
  const active = await rateCardAt(ctx, page.at_ms);
  return cards.map((card) => toVersion(card, active, page.at_ms));
}

function toVersion(card: RateCard, active: RateCard, at_ms: bigint): RateCardVersion {
  const status =
    card.version === active.version
      ? 'active'
      : card.effective_at_ms > at_ms
        ? 'scheduled'
        : 'superseded';
  return { card, status, built_in: card === DEFAULT_RATE_CARD, created_at_ms: null };
}

/** A stored card, loaded again with the same rules as on its way in (a failure is a bug). */
function toRateCard(record: RateCardRecord): RateCard {
  const rows = parseStoredRows<RateRowInput>(record.rows_json);
  return loadRateCard({
    version: record.version,
    effective_at_ms: record.effective_at_ms,
    rows: rows.map(toRawRow),
  });
}

/** Stored rows as JSON: durations are integers there, bigints here. */
export function parseStoredRows<Row>(rows_json: string): Row[] {
  return (JSON.parse(rows_json) as Record<string, unknown>[]).map((row) => {
    const out = { ...row };
    for (const field of ['increment_ms', 'minimum_ms']) {
      if (typeof out[field] === 'number') out[field] = BigInt(out[field] as number);
    }
    return out as Row;
  });
}
