/**
 * What every CLI command shares: where output goes, how a context is opened and closed, and one
 * runner that prints a result as text or `--json`, turns an error into one line on stderr, and
 * sets the exit code (`EXIT_CODES`, documented in the README). Tests pass their own deps.
 */
import { InvalidArgumentError } from 'commander';
import { type Config, ConfigError, loadConfigFromProcess } from '../config.ts';
import { type AppContext, closeContext, createContext } from '../context.ts';
import { openDatabase } from '../db/connect.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { createSystemClock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import { createRandomIds } from '../shared/ids.ts';
import { stringifyJson } from '../shared/json.ts';

export type CliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Where progress bars draw; they draw only on a terminal. */
  progress_stream: NodeJS.WritableStream & { isTTY?: boolean };
};

/**
 * The exit codes of every command: 0 success; 1 a usage error (flags, arguments, configuration,
 * a database not migrated; commander's own usage errors also exit 1); 2 a domain error (the
 * request was understood and refused: not found, in use, invalid backup…); 3 a check that ran
 * and found a problem (`reconcile` drift); 4 an unexpected failure (database unreachable, a bug).
 */
export const EXIT_CODES = { ok: 0, usage: 1, domain: 2, check_failed: 3, internal: 4 } as const;

export type CliDeps = {
  io: CliIo;
  /** The configuration, for commands that must not open the database (`restore`). */
  readConfig: () => Config;
  /** `check_schema`: refuse to run on a database that is not migrated (all but `migrate`). */
  openContext: (options: { check_schema: boolean }) => Promise<AppContext>;
  closeContext: (ctx: AppContext) => Promise<void>;
  setExitCode: (code: number) => void;
};

/** A command's result: the value printed by `--json`, its text form, and the exit code. */
export type CommandResult = { value: unknown; text: string; exit_code?: number };

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export function processDeps(): CliDeps {
  return {
    io: {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      progress_stream: process.stderr,
    },
    readConfig: loadConfigFromProcess,
    openContext: openProcessContext,
    closeContext,
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

async function openProcessContext(options: { check_schema: boolean }): Promise<AppContext> {
  const config = loadConfigFromProcess();
  const ctx = createContext({
    config: { ...config, log_level: 'warn' },
    database: openDatabase(config.database),
    clock: createSystemClock(),
    ids: createRandomIds(),
  });
  if (options.check_schema && (await pendingMigrations(ctx.db)).length > 0) {
    await closeContext(ctx);
    throw new CliUsageError('the database is not migrated; run `tollgate migrate` first');
  }
  return ctx;
}

export function toPrettyJson(value: unknown): string {
  return `${JSON.stringify(JSON.parse(stringifyJson(value)), null, 2)}\n`;
}

/** Opens a context, runs one command, prints its result, closes the context, sets the exit code. */
export async function runCommand(
  deps: CliDeps,
  options: { json: boolean; check_schema?: boolean },
  command: (ctx: AppContext) => Promise<CommandResult>,
): Promise<void> {
  let ctx: AppContext | null = null;
  try {
    ctx = await deps.openContext({ check_schema: options.check_schema ?? true });
    report(deps, options, await command(ctx));
  } catch (err) {
    reportError(deps, err);
  } finally {
    if (ctx !== null) await deps.closeContext(ctx);
  }
}

/** Runs a command that must not open the database (it replaces it), like `runCommand`. */
export async function runWithoutContext(
  deps: CliDeps,
  options: { json: boolean },
  command: (config: Config) => Promise<CommandResult>,
): Promise<void> {
  try {
    report(deps, options, await command(deps.readConfig()));
  } catch (err) {
    reportError(deps, err);
  }
}

function report(deps: CliDeps, options: { json: boolean }, result: CommandResult): void {
  deps.io.out(options.json ? toPrettyJson(result.value) : result.text);
  deps.setExitCode(result.exit_code ?? EXIT_CODES.ok);
}

function reportError(deps: CliDeps, err: unknown): void {
  deps.io.err(`tollgate: ${describeError(err)}\n`);
  deps.setExitCode(exitCodeOf(err));
}

function exitCodeOf(err: unknown): number {
  if (err instanceof DomainError) return EXIT_CODES.domain;
  if (err instanceof ConfigError || err instanceof CliUsageError) return EXIT_CODES.usage;
  if (err instanceof InvalidArgumentError) return EXIT_CODES.usage;
  return EXIT_CODES.internal;
}

function describeError(err: unknown): string {
  if (err instanceof DomainError) return `${err.code}: ${err.message}`;
  if (err instanceof ConfigError) return `invalid configuration: ${err.message}`;
  if (err instanceof CliUsageError || err instanceof InvalidArgumentError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
