/**
 * `docs/configuration.md` and `config.ts` cannot drift: every variable the loader declares
 * (`ENV_VARIABLES`), reads while loading, or names as `env.NAME` in its source has a row in the
 * doc, every row is such a variable, and each row's default and range are the declared ones.
 * A failure names the variable.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_LIMITS,
  ENV_VARIABLES,
  type EnvVariable,
  loadConfig,
} from './config.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DOC = readFileSync(resolve(ROOT, 'docs/configuration.md'), 'utf8');
const SOURCE = readFileSync(resolve(ROOT, 'src/config.ts'), 'utf8');

type Row = { type: string; default: string; range: string; meaning: string };

/** The rows of the doc's variables table, by variable name. */
function documentedRows(): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const line of DOC.split('\n')) {
    const match = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|(.*)\|\s*$/.exec(line);
    if (match === null) continue;
    const [type = '', fallback = '', range = '', meaning = ''] = match[2]!
      .split('|')
      .map((cell) => cell.trim());
    rows.set(match[1]!, { type, default: fallback, range, meaning });
  }
  return rows;
}

/** Every variable `loadConfig` reads from an empty environment (a proxy records each read). */
function variablesRead(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_target, key) => {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
  loadConfig(env);
  return read;
}

/** Every `env.NAME` or `env['NAME']` in config.ts, including reads only some values reach. */
function variablesNamedInSource(): Set<string> {
  const pattern = /\benv(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g;
  return new Set([...SOURCE.matchAll(pattern)].map((match) => (match[1] ?? match[2])!));
}

function rangeOf(spec: EnvVariable): string | null {
  if (spec.type === 'integer') return `\`${spec.min}..${spec.max}\``;
  if (spec.type === 'enum') return spec.values.map((value) => `\`${value}\``).join(', ');
  if (spec.type === 'string' && spec.min_length !== undefined) {
    return `at least ${spec.min_length} characters`;
  }
  return null;
}

describe('docs/configuration.md against config.ts', () => {
  const rows = documentedRows();
  const declared = Object.keys(ENV_VARIABLES);

  it('has a row for every variable config.ts declares, reads or names', () => {
    const used = new Set([...declared, ...variablesRead(), ...variablesNamedInSource()]);
    const missing = [...used].filter((name) => !rows.has(name));
    expect(missing, `docs/configuration.md has no row for: ${missing.join(', ')}`).toEqual([]);
  });

  it('has no row for a variable config.ts does not read', () => {
    const used = new Set([...declared, ...variablesRead(), ...variablesNamedInSource()]);
    const stale = [...rows.keys()].filter((name) => !used.has(name));
    expect(stale, `config.ts does not read: ${stale.join(', ')}`).toEqual([]);
  });

  it('reads every declared variable while loading, and names no undeclared one', () => {
    const read = variablesRead();
    expect(declared.filter((name) => !read.has(name))).toEqual([]);
    const undeclared = [...variablesNamedInSource()].filter((name) => !declared.includes(name));
    expect(undeclared, `declare in ENV_VARIABLES: ${undeclared.join(', ')}`).toEqual([]);
  });

  it('gives each variable the type, default and range the loader uses', () => {
    const wrong: string[] = [];
    for (const [name, spec] of Object.entries(ENV_VARIABLES) as Array<[string, EnvVariable]>) {
      const row = rows.get(name);
      if (row === undefined) continue; // reported by the first test
      const fallback = spec.default === null ? 'unset' : `\`${spec.default}\``;
      if (row.type !== spec.type) wrong.push(`${name}: type "${row.type}" is not ${spec.type}`);
      if (!row.default.startsWith(fallback)) {
        wrong.push(`${name}: default "${row.default}" is not ${fallback}`);
      }
      const range = rangeOf(spec);
      if (range !== null && !row.range.includes(range)) {
        wrong.push(`${name}: range "${row.range}" does not say ${range}`);
      }
      if (row.meaning.length < 20) wrong.push(`${name}: no meaning`);
    }
    expect(wrong).toEqual([]);
  });

  it('loads the documented defaults from an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      database: { dialect: 'sqlite', file_path: './data/tollgate.db' },
      host: '0.0.0.0',
      port: 8080,
      admin_token: null,
      demo_enabled: true,
      simulator_latency_ms: 3000,
      log_level: 'info',
      shutdown_timeout_ms: 10_000,
    });
    expect(config.limits.idempotency_lease_ms).toBe(30_000n);
  });

  it('refuses a value outside its declared range with one line naming the variable', () => {
    expect(() => loadConfig({ PORT: '65536' })).toThrow(
      new ConfigError('PORT: 65536 is outside 0..65535'),
    );
    expect(() => loadConfig({ TOLLGATE_IDEMPOTENCY_LEASE_MS: '99' })).toThrow(
      /^TOLLGATE_IDEMPOTENCY_LEASE_MS: 99 is outside 100\.\.3600000$/,
    );
    expect(() => loadConfig({ TOLLGATE_ADMIN_TOKEN: 'short' })).toThrow(/TOLLGATE_ADMIN_TOKEN/);
    expect(() => loadConfig({ TOLLGATE_DEMO: 'maybe' })).toThrow(/TOLLGATE_DEMO/);
  });
});

describe('TOLLGATE_AUTO_RELOAD_FAILURES_MAX', () => {
  it('defaults to 3 and is read as the failures before auto-reload is turned off', () => {
    expect(DEFAULT_LIMITS.auto_reload_failures_max).toBe(3);
    expect(loadConfig({}).limits.auto_reload_failures_max).toBe(3);
    const config = loadConfig({ TOLLGATE_AUTO_RELOAD_FAILURES_MAX: '5' });
    expect(config.limits.auto_reload_failures_max).toBe(5);
  });

  it.each(['0', '101', 'three', '-1'])(
    '%s stops the start with a line naming the variable',
    (value) => {
      expect(() => loadConfig({ TOLLGATE_AUTO_RELOAD_FAILURES_MAX: value })).toThrow(
        new ConfigError(
          value === 'three' || value === '-1'
            ? `TOLLGATE_AUTO_RELOAD_FAILURES_MAX: "${value}" is not a whole number`
            : `TOLLGATE_AUTO_RELOAD_FAILURES_MAX: ${value} is outside 1..100`,
        ),
      );
    },
  );
});

describe('TOLLGATE_ALLOW_PRIVATE_URLS', () => {
  it('is off by default, so outbound calls are https to public addresses only', () => {
    expect(loadConfig({}).allow_private_urls).toBe(false);
    expect(loadConfig({ TOLLGATE_ALLOW_PRIVATE_URLS: '1' }).allow_private_urls).toBe(true);
    expect(loadConfig({ TOLLGATE_ALLOW_PRIVATE_URLS: 'off' }).allow_private_urls).toBe(false);
  });

  it('refuses a value that is not a flag with a line naming the variable', () => {
    expect(() => loadConfig({ TOLLGATE_ALLOW_PRIVATE_URLS: 'maybe' })).toThrow(
      new ConfigError('TOLLGATE_ALLOW_PRIVATE_URLS: "maybe" is not 0 or 1'),
    );
  });
});
