/**
 * The credit rate card: what a web-plan job costs in credits, beside the USD card that prices the
 * same usage (`pricing/`). Pure. A row names a USD card sku (`pricing/usage.ts` maps a usage to
 * it) and its rate in credits as a decimal string exact to the thousandth of a credit: per minute
 * of output for the products priced per second (HeyGen publishes web-plan burn rates per minute,
 * and a per-second rate such as 20/60 would not be exact), per video or per call for the flat
 * ones. A charge is `divCeil(rate_credit_milli_per_min × billed_ms, 60,000)`: billed to the
 * millisecond of output, rounded up once per job to a thousandth of a credit. A sku without a row
 * is `credits_not_offered`, never free.
 */
import type { Usage } from '../pricing/usage.ts';
import { skuForUsage, unitForUsage } from '../pricing/usage.ts';
import { assert } from '../shared/assert.ts';
import { divCeil, parseDecimalExact } from '../shared/money.ts';
import { planError } from './errors.ts';

export type CreditUnit = 'minute' | 'video' | 'call';

export type CreditRowInput = { sku: string; per: CreditUnit; credits: string };
export type CreditCardInput = {
  version: string;
  effective_at_ms: bigint;
  rows: readonly CreditRowInput[];
};

export type CreditRow = {
  readonly sku: string;
  readonly per: CreditUnit;
  readonly credits: string;
  readonly rate_credit_milli: bigint;
};
export type CreditCard = {
  readonly version: string;
  readonly effective_at_ms: bigint;
  readonly rows: readonly CreditRow[];
};

const SKU_PATTERN = /^[a-z0-9][a-z0-9_.]{0,99}$/;
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const UNITS: readonly CreditUnit[] = ['minute', 'video', 'call'];
export const CREDIT_CARD_ROWS_MAX = 1_000;
/** At most 10,000 credits per minute, video or call. */
export const RATE_CREDIT_MILLI_MAX = 10_000_000n;
const MS_PER_MINUTE = 60_000n;

/** Validates a card and converts every rate exactly to thousandths of a credit; never rounds. */
export function loadCreditCard(input: CreditCardInput): CreditCard {
  const reject = (problem: string, param: string) =>
    planError('credit_rate_card_rejected', `credit rate card ${input.version}: ${problem}`, {
      param,
    });
  if (typeof input.version !== 'string' || !VERSION_PATTERN.test(input.version)) {
    throw reject('the version must match [A-Za-z0-9._-], 1–64', 'version');
  }
  if (input.rows.length === 0 || input.rows.length > CREDIT_CARD_ROWS_MAX) {
    throw reject(`it must have 1 to ${CREDIT_CARD_ROWS_MAX} rows`, 'rows');
  }
  const seen = new Set<string>();
  const rows = input.rows.map((row, index): CreditRow => {
    const at = `rows.${index}`;
    if (!SKU_PATTERN.test(row.sku)) throw reject(`sku "${row.sku}" is not valid`, `${at}.sku`);
    if (seen.has(row.sku)) throw reject(`sku ${row.sku} appears twice`, `${at}.sku`);
    seen.add(row.sku);
    if (!UNITS.includes(row.per)) throw reject(`per must be minute, video or call`, `${at}.per`);
    const rate = typeof row.credits === 'string' ? parseDecimalExact(row.credits, 3) : null;
    if (rate === null || rate <= 0n || rate > RATE_CREDIT_MILLI_MAX) {
      throw reject(
        `credits must be a decimal string above 0 and at most 10000, exact to 0.001`,
        `${at}.credits`,
      );
    }
    return Object.freeze({
      sku: row.sku,
      per: row.per,
      credits: row.credits,
      rate_credit_milli: rate,
    });
  });
  return Object.freeze({
    version: input.version,
    effective_at_ms: input.effective_at_ms,
    rows: Object.freeze(rows),
  });
}

export type CreditPrice = { amount_credit_milli: bigint; sku: string; card_version: string };

/**
 * The credits `usage` costs on `card` (duration already capped by the caller, as the USD price
 * is). `credits_not_offered` when the card has no row for its sku or prices it per another unit.
 */
export function creditPrice(card: CreditCard, usage: Usage): CreditPrice {
  const sku = skuForUsage(usage);
  const row = card.rows.find((candidate) => candidate.sku === sku);
  const unit = unitForUsage(usage);
  const per: CreditUnit = unit === 'second' ? 'minute' : unit;
  if (row === undefined || row.per !== per) {
    throw planError(
      'credits_not_offered',
      `${sku} is not offered on web plans (credit rate card ${card.version} has no per-${per} ` +
        'rate for it); use an API key instead.',
    );
  }
  if (row.per !== 'minute') {
    return { amount_credit_milli: row.rate_credit_milli, sku, card_version: card.version };
  }
  const duration_ms = 'duration_ms' in usage ? usage.duration_ms : undefined;
  assert(typeof duration_ms === 'bigint' && duration_ms >= 0n, `${sku} has a duration`);
  return {
    amount_credit_milli: divCeil(row.rate_credit_milli * duration_ms, MS_PER_MINUTE),
    sku,
    card_version: card.version,
  };
}
