/**
 * `tollgate quote <account_id> <usage_json>`: what a usage would cost an account now, through the
 * same pricing functions admission uses: the rate card in effect with the account's override
 * (`pricingFor`), the account's eligibility (`checkEligibility`, e.g. Avatar III for existing
 * customers only) and the exact price (`price`: minimum, increments, rounding up to the
 * micro-dollar). The usage names the product and its options as `src/pricing/usage.ts` does, with
 * `duration_s` (seconds, exact to the millisecond) instead of `duration_ms`, e.g.
 * `{"product":"avatar_video","engine":"avatar_iv","avatar_type":"photo_avatar","resolution":"1080p","duration_s":61.5}`.
 * A usage that is not JSON is a usage error (exit code 1); one the rate card does not price, or
 * the account may not use, is a domain error (exit code 2) with the pricing error's message.
 */
import type { Command } from 'commander';
import { getAccount } from '../../accounts/accounts.ts';
import { checkEligibility, price } from '../../pricing/price.ts';
import { pricingFor } from '../../pricing/pricing-for.ts';
import type { Usage } from '../../pricing/usage.ts';
import { formatMicroUsd } from '../../shared/money.ts';
import { type CliDeps, CliUsageError, runCommand } from '../deps.ts';

/** The usage JSON as a `Usage`: `duration_s` becomes `duration_ms`, exact to the millisecond. */
export function parseUsage(text: string): Usage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliUsageError('<usage_json> is not JSON; see `tollgate quote --help`');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliUsageError('<usage_json> must be a JSON object with a "product"');
  }
  const { duration_s, ...rest } = value as Record<string, unknown>;
  if (typeof rest.product !== 'string') {
    throw new CliUsageError('<usage_json> must name its "product", such as "avatar_video"');
  }
  if (duration_s === undefined) return rest as Usage;
  const duration_ms = typeof duration_s === 'number' ? Math.round(duration_s * 1000) : Number.NaN;
  if (
    !Number.isSafeInteger(duration_ms) ||
    duration_ms < 0 ||
    Math.abs(duration_ms - (duration_s as number) * 1000) > 1e-6
  ) {
    throw new CliUsageError(
      '"duration_s" must be a number of seconds ≥ 0, exact to the millisecond',
    );
  }
  return { ...rest, duration_ms: BigInt(duration_ms) } as Usage;
}

export function registerQuoteCommand(program: Command, deps: CliDeps): void {
  program
    .command('quote <account_id> <usage_json>')
    .description(
      'price a usage for an account now (its rate card, override and eligibility), e.g. ' +
        '\'{"product":"lipsync","mode":"speed","duration_s":30}\'',
    )
    .option('--json', 'print JSON')
    .action(async (account_id: string, usage_json: string, options: { json?: boolean }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const usage = parseUsage(usage_json);
        const account = await getAccount(ctx, account_id);
        const pricing = await pricingFor(ctx, { account_id, at_ms: ctx.clock.now_ms() });
        checkEligibility(pricing.card, usage, account);
        const quoted = price(pricing.card, usage);
        const value = {
          account_id,
          sku: quoted.sku,
          unit: quoted.unit,
          rate_micro_usd: quoted.rate_micro_usd,
          rate_usd: formatMicroUsd(quoted.rate_micro_usd),
          billed_duration_ms: quoted.billed_duration_ms,
          amount_micro_usd: quoted.amount_micro_usd,
          amount_usd: formatMicroUsd(quoted.amount_micro_usd),
          rate_card_version: pricing.rate_card_version,
          rate_override_id: pricing.override_id,
        };
        const billed =
          quoted.billed_duration_ms === null
            ? `per ${quoted.unit}`
            : `${formatMicroUsd(quoted.billed_duration_ms * 1000n)} s billed`;
        const text = `${quoted.sku}: ${billed} at $${value.rate_usd}/${quoted.unit} = $${value.amount_usd} (rate card ${pricing.rate_card_version}${pricing.override_id === null ? '' : `, override ${pricing.override_id}`})\n`;
        return { value, text };
      });
    });
}
