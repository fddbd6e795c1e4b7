/**
 * What every CLI command shares: where output goes, how a context is opened and closed, and one
 * runner that prints a result as text or `--json`, turns a domain error into one line on stderr,
 * and sets the exit code (0 success, 1 failure or drift). Tests pass their own deps.
 */
import { ConfigError, loadConfigFromProcess } from '../config.ts';
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

export type CliDeps = {
  io: CliIo;
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
    const result = await command(ctx);
    deps.io.out(options.json ? toPrettyJson(result.value) : result.text);
    deps.setExitCode(result.exit_code ?? 0);
  } catch (err) {
    deps.io.err(`tollgate: ${describeError(err)}\n`);
    deps.setExitCode(1);
  } finally {
    if (ctx !== null) await deps.closeContext(ctx);
  }
}

function describeError(err: unknown): string {
  if (err instanceof DomainError) return `${err.code}: ${err.message}`;
  if (err instanceof ConfigError) return `invalid configuration: ${err.message}`;
  if (err instanceof CliUsageError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
