/**
 * `tollgate rate-cards list|show|import|export` and `tollgate rate-cards override set|show|delete`: the
 * operator API's rate-card and rate-override calls, from a shell. `import` reads a JSON file in
 * the body shape of `POST /admin/v1/rate-cards`; `override set` takes `sku=rate_usd` pairs.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withTransaction } from '../../context.ts';
import type { RateCardInput, RateRowInput } from '../../pricing/card-input.ts';
import {
  createRateCard,
  getRateCardVersion,
  listRateCardVersions,
  type RateCardVersion,
} from '../../pricing/rate-card-store.ts';
import {
  listRateOverrides,
  type RateOverride,
  removeRateOverride,
  setRateOverride,
} from '../../pricing/rate-overrides.ts';
import { type CliDeps, CliUsageError, runCommand } from '../deps.ts';

type JsonOption = { json?: boolean };
const PAGE_SIZE = 100;

export function registerRateCardCommands(program: Command, deps: CliDeps): void {
  const cards = program.command('rate-cards').description('rate card versions and overrides');
  cards
    .command('list')
    .description('card versions, latest effective time first, with the one in effect')
    .option('--json', 'print JSON')
    .action(async (options: JsonOption) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const at = { at_ms: ctx.clock.now_ms(), limit: PAGE_SIZE, before_effective_at_ms: null };
        const versions = await listRateCardVersions(ctx, at);
        const text = versions.map((v) => `${describeVersion(v)}\n`).join('');
        return { value: { data: versions.map(viewOf) }, text };
      });
    });
  cards
    .command('show <version>')
    .description('one card version with its rows')
    .option('--json', 'print JSON')
    .action(async (version: string, options: JsonOption) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const found = await getRateCardVersion(ctx, { version, at_ms: ctx.clock.now_ms() });
        const rows = found.card.rows.map(
          (row) => `  ${row.sku} ${row.rate_usd ?? '-'}/${row.unit}\n`,
        );
        return { value: viewOf(found), text: `${describeVersion(found)}\n${rows.join('')}` };
      });
    });
  cards
    .command('import <file>')
    .description('store a new card version from a JSON file (a full card, rates as strings)')
    .option('--effective-at <iso>', 'when it takes effect (ISO 8601; default now)')
    .option('--json', 'print JSON')
    .action(async (file: string, options: JsonOption & { effectiveAt?: string }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const input = readCardFile(file, options.effectiveAt);
        const created = await withTransaction(ctx, (tx) => createRateCard(tx, input));
        return { value: viewOf(created), text: `stored ${describeVersion(created)}\n` };
      });
    });
  cards
    .command('export <version>')
    .description('print a card version as a JSON file `import` takes (edit it, then import)')
    .option('--json', 'the same (the export is JSON already)')
    .action(async (version: string) => {
      await runCommand(deps, { json: true }, async (ctx) => {
        const found = await getRateCardVersion(ctx, { version, at_ms: ctx.clock.now_ms() });
        return { value: toImportFile(found), text: '' };
      });
    });
  registerOverrideCommands(cards, deps);
}

/** The shape `import` reads: `{version, effective_at, rows}` with rates as decimal strings. */
function toImportFile(version: RateCardVersion) {
  const rows = version.card.rows.map((row) => ({
    sku: row.sku,
    unit: row.unit,
    rate_usd: row.rate_usd,
    ...(row.increment_ms === null ? {} : { increment_ms: row.increment_ms }),
    ...(row.minimum_ms === null ? {} : { minimum_ms: row.minimum_ms }),
    ...(row.enterprise_only ? { enterprise_only: true } : {}),
    ...(row.existing_customers_only ? { existing_customers_only: true } : {}),
  }));
  const effective_at = new Date(Number(version.card.effective_at_ms)).toISOString();
  return { version: version.card.version, effective_at, rows };
}

function registerOverrideCommands(cards: Command, deps: CliDeps): void {
  const override = cards.command('override').description("an account's rate override");
  override
    .command('set <account_id> <sku=rate_usd...>')
    .description('replace the account’s override with these rates, from now on')
    .option('--memo <text>', 'why (a negotiated discount, an Enterprise contract)')
    .option('--json', 'print JSON')
    .action(
      async (account_id: string, pairs: string[], options: JsonOption & { memo?: string }) => {
        await runCommand(deps, { json: options.json === true }, async (ctx) => {
          const rows = pairs.map(parseRatePair);
          const input = { account_id, rows, memo: options.memo ?? null };
          const set = await withTransaction(ctx, (tx) => setRateOverride(tx, input));
          return { value: set, text: `set ${describeOverride(set)}\n` };
        });
      },
    );
  override
    .command('show <account_id>')
    .description('the account’s overrides, newest first')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: JsonOption) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const page = { account_id, limit: PAGE_SIZE, before_version: null };
        const overrides = await listRateOverrides(ctx, page);
        const text = overrides.map((o) => `${describeOverride(o)}\n`).join('') || 'no overrides\n';
        return { value: { data: overrides }, text };
      });
    });
  override
    .command('delete <account_id>')
    .description('end the account’s override now (jobs admitted under it keep its rates)')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: JsonOption) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const ended = await withTransaction(ctx, (tx) => removeRateOverride(tx, { account_id }));
        const text =
          ended === null ? 'no override in force\n' : `ended ${describeOverride(ended)}\n`;
        return { value: { account_id, removed: ended }, text };
      });
    });
}

function viewOf(version: RateCardVersion) {
  const { card, ...rest } = version;
  return { version: card.version, effective_at_ms: card.effective_at_ms, ...rest, rows: card.rows };
}

function describeVersion(version: RateCardVersion): string {
  const at = new Date(Number(version.card.effective_at_ms)).toISOString();
  const builtIn = version.built_in ? ' (built in)' : '';
  return `${version.card.version} ${version.status} from ${at}${builtIn}`;
}

function describeOverride(override: RateOverride): string {
  const rates = override.rows.map((row) => `${row.sku}=${row.rate_usd}`).join(' ');
  const state = override.ended_at_ms === null ? 'active' : 'ended';
  return `${override.id} v${override.version} ${state}: ${rates}`;
}

function parseRatePair(pair: string) {
  const [sku, rate_usd, extra] = pair.split('=');
  if (!sku || !rate_usd || extra !== undefined) {
    throw new CliUsageError(`expected sku=rate_usd (e.g. lipsync.speed=0.03), got "${pair}"`);
  }
  return { sku, rate_usd };
}

/** The card file, shaped as `POST /admin/v1/rate-cards` takes it; the domain checks the rules. */
function readCardFile(
  file: string,
  effectiveAt: string | undefined,
): Omit<RateCardInput, 'effective_at_ms'> & { effective_at_ms: bigint | null } {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    version?: unknown;
    effective_at?: unknown;
    rows?: unknown;
  };
  if (typeof parsed.version !== 'string' || !Array.isArray(parsed.rows)) {
    throw new CliUsageError(`${file}: expected {"version": "...", "rows": [...]}`);
  }
  const when =
    effectiveAt ?? (typeof parsed.effective_at === 'string' ? parsed.effective_at : null);
  const effective_at_ms = when === null ? null : Date.parse(when);
  if (effective_at_ms !== null && Number.isNaN(effective_at_ms)) {
    throw new CliUsageError(`effective_at "${when}" is not an ISO 8601 time`);
  }
  const rows = parsed.rows.map((row: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...row };
    for (const field of ['increment_ms', 'minimum_ms']) {
      if (Number.isSafeInteger(out[field])) out[field] = BigInt(out[field] as number);
    }
    return out as RateRowInput;
  });
  return {
    version: parsed.version,
    effective_at_ms: effective_at_ms === null ? null : BigInt(effective_at_ms),
    rows,
  };
}
