/**
 * The credit rate cards in the database, versioned like the USD cards (`pricing/rate-card-store`):
 * immutable versions, each taking effect at its `effective_at_ms` (now or later, never in the
 * past, so no admitted job is repriced). The built-in default card (effective from 0) is always a
 * version, so an empty database prices on it. A web-plan job records the version that priced its
 * hold (`job_credits`) and is charged on exactly that version.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { stringifyJson } from '../shared/json.ts';
import { type CreditCard, type CreditRowInput, loadCreditCard } from './credit-card.ts';
import { DEFAULT_CREDIT_CARD } from './default-credit-card.ts';
import { planError } from './errors.ts';

export type CreditCardVersion = {
  card: CreditCard;
  status: 'scheduled' | 'active' | 'superseded';
  built_in: boolean;
};

/**
 * Stores a new version (`effective_at_ms` null: now). `credit_rate_card_rejected` for a card that
 * breaks a rule, a time in the past or an instant another card takes effect at;
 * `credit_rate_card_version_taken` for a version that exists. Writes nothing on error.
 */
export async function createCreditCard(
  tx: TxContext,
  input: { version: string; effective_at_ms: bigint | null; rows: readonly CreditRowInput[] },
): Promise<CreditCardVersion> {
  const now_ms = tx.clock.now_ms();
  const effective_at_ms = input.effective_at_ms ?? now_ms;
  if (effective_at_ms < now_ms) {
    throw planError(
      'credit_rate_card_rejected',
      'effective_at is in the past; a credit rate card takes effect now or later',
      { param: 'effective_at' },
    );
  }
  const card = loadCreditCard({ ...input, effective_at_ms });
  if ((await findCreditCard(tx.db, card.version)) !== null) {
    throw planError(
      'credit_rate_card_version_taken',
      `Credit rate card version ${card.version} already exists; versions are immutable.`,
      { param: 'version' },
    );
  }
  const rival = await tx.db
    .selectFrom('credit_rate_cards')
    .select('version')
    .where('effective_at_ms', '=', effective_at_ms)
    .executeTakeFirst();
  if (rival !== undefined) {
    throw planError(
      'credit_rate_card_rejected',
      `credit rate card ${rival.version} already takes effect at that instant; only one may`,
      { param: 'effective_at' },
    );
  }
  await tx.db
    .insertInto('credit_rate_cards')
    .values({
      version: card.version,
      effective_at_ms,
      rows_json: stringifyJson(input.rows),
      created_at_ms: now_ms,
    })
    .execute();
  return { card, status: effective_at_ms > now_ms ? 'scheduled' : 'active', built_in: false };
}

/** The card in effect at `at_ms`: the latest stored one at or before it, else the default. */
export async function creditCardAt(db: Kysely<DB>, at_ms: bigint): Promise<CreditCard> {
  const record = await db
    .selectFrom('credit_rate_cards')
    .selectAll()
    .where('effective_at_ms', '<=', at_ms)
    .orderBy('effective_at_ms', 'desc')
    .limit(1)
    .executeTakeFirst();
  return record === undefined ? DEFAULT_CREDIT_CARD : toCard(record);
}

/** The card with `version` (stored or the default), or null. */
export async function findCreditCard(db: Kysely<DB>, version: string): Promise<CreditCard | null> {
  if (version === DEFAULT_CREDIT_CARD.version) return DEFAULT_CREDIT_CARD;
  const record = await db
    .selectFrom('credit_rate_cards')
    .selectAll()
    .where('version', '=', version)
    .executeTakeFirst();
  return record === undefined ? null : toCard(record);
}

/** Every version, latest first, the default last, with its status at `at_ms` (at most 1,000). */
export async function listCreditCards(db: Kysely<DB>, at_ms: bigint): Promise<CreditCardVersion[]> {
  const records = await db
    .selectFrom('credit_rate_cards')
    .selectAll()
    .orderBy('effective_at_ms', 'desc')
    .limit(1_000)
    .execute();
  const cards = [...records.map(toCard), DEFAULT_CREDIT_CARD];
  const active = await creditCardAt(db, at_ms);
  return cards.map((card) => ({
    card,
    built_in: card === DEFAULT_CREDIT_CARD,
    status:
      card.version === active.version
        ? 'active'
        : card.effective_at_ms > at_ms
          ? 'scheduled'
          : 'superseded',
  }));
}

function toCard(record: { version: string; effective_at_ms: bigint; rows_json: string }) {
  return loadCreditCard({
    version: record.version,
    effective_at_ms: record.effective_at_ms,
    rows: JSON.parse(record.rows_json) as CreditRowInput[],
  });
}
