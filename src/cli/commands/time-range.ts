/** `--from` / `--to` / `--account` of the export and report commands, parsed once. */
import type { Command } from 'commander';
import type { ChargeRange } from '../../jobs/charges.ts';
import type { Clock } from '../../shared/clock.ts';
import { CliUsageError } from '../deps.ts';

export type RangeOptions = { from: string; to?: string; account?: string };

export function addRangeOptions(command: Command): Command {
  return command
    .requiredOption('--from <time>', 'start, inclusive (ISO 8601: 2026-12-01 or 2026-12-01T10:00Z)')
    .option('--to <time>', 'end, exclusive (ISO 8601; default now)')
    .option('--account <account_id>', 'only this account');
}

function parseInstant(flag: string, text: string): bigint {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new CliUsageError(`${flag} "${text}" is not an ISO 8601 time`);
  return BigInt(ms);
}

export function parseRange(options: RangeOptions, clock: Clock): ChargeRange {
  const from_ms = parseInstant('--from', options.from);
  const to_ms = options.to === undefined ? clock.now_ms() + 1n : parseInstant('--to', options.to);
  if (to_ms <= from_ms) throw new CliUsageError('--to must be after --from');
  return { from_ms, to_ms, account_id: options.account ?? null };
}
