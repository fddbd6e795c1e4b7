/**
 * The configuration: read from the environment once, typed, frozen. Every limit of the system
 * lives here so a reader can see all of them in one place. An invalid value stops the start with
 * one clear line (`ConfigError`). Every environment variable is declared in `ENV_VARIABLES`
 * (type, default, range), which the loader reads its defaults and bounds from and which
 * `config.test.ts` checks against `docs/configuration.md`, row by row.
 */
import { AMOUNT_MICRO_USD_MAX, parseUsdToMicroUsd } from './shared/money.ts';

export type DatabaseTarget =
  | { dialect: 'sqlite'; file_path: string }
  | { dialect: 'postgres'; url: string };

export type Limits = {
  /** Largest `limit` a list endpoint accepts. */
  page_size_max: number;
  /** Largest number of transfers or accounts in one ledger batch call. */
  ledger_batch_size_max: number;
  /** Group commit: how many queued writes one database transaction takes at most. */
  group_commit_batch_size_max: number;
  /** Group commit: how long the first queued write waits for company before committing. */
  group_commit_wait_ms: number;
  /** Largest request body in bytes. */
  body_size_bytes_max: number;
  /** Deepest nesting of objects and arrays in a JSON body (`{"a":[1]}` is 2 deep). */
  body_depth_max: number;
  /** Largest body of a request that is stored with a job (`POST /v3/videos`, and its quote). */
  job_request_size_bytes_max: number;
  /** Longest path parameter, in characters (longer is 414; ids are at most 128). */
  path_param_chars_max: number;
  /** Longest a client may take to send one whole request (Node's `requestTimeout`). */
  request_timeout_ms: number;
  /** Longest a hold may stay pending before it expires on its own. */
  hold_ttl_ms: bigint;
  hold_ttl_ms_max: bigint;
  /** Longest output a single job may be billed for (also caps estimates). */
  job_duration_ms_max: bigint;
  /** Concurrent jobs in flight per account by default (API-key traffic). */
  concurrent_jobs_default: number;
  concurrent_jobs_max: number;
  /** How long an Idempotency-Key replays its stored response. */
  idempotency_ttl_ms: bigint;
  /**
   * How long a key stays claimed by the request running it. A retry after this takes the key
   * over (its owner is presumed dead); longer than any request should take.
   */
  idempotency_lease_ms: bigint;
  /** Number of revenue account shards per currency. */
  revenue_shard_count: number;
  /** Holds expired per worker tick. */
  expire_batch_size: number;
  /** Jobs claimed, and jobs finished, per worker tick. */
  job_worker_batch_size: number;
  /** Auto-reloads charged per tick of the reload worker. */
  auto_reload_batch_size: number;
  /** Consecutive failed reloads after which auto-reload is turned off (`TOLLGATE_AUTO_RELOAD_FAILURES_MAX`). */
  auto_reload_failures_max: number;
  /** How long a Video Agent chat session may wait for input before it is closed. */
  agent_session_idle_ms: bigint;
  /** Smallest top-up a customer may buy (`POST /billing/v1/top-ups`). */
  top_up_min_micro_usd: bigint;
  /** Largest top-up a customer may buy (`TOLLGATE_TOP_UP_MAX_USD`). */
  top_up_max_micro_usd: bigint;
  /** Webhook endpoints one account may register. */
  webhook_endpoints_max: number;
  /** Tries of one webhook delivery before it is given up (`failed`). */
  webhook_attempts_max: number;
  /** Backoff before the second try; doubles per try, with jitter, up to the max. */
  webhook_retry_delay_ms: number;
  webhook_retry_delay_ms_max: number;
  /** Failed attempts in a row after which an endpoint is disabled. */
  webhook_endpoint_failures_max: number;
  /** Longest one delivery call may take, redirects included. */
  webhook_timeout_ms: number;
  /** Largest receiver response read (the rest is cut off; the status is what counts). */
  webhook_response_bytes_max: number;
  /** Deliveries attempted per webhook worker tick, and events fanned out per tick. */
  webhook_batch_size: number;
  /** How long a node's claim on a delivery lasts before another node may try it again. */
  webhook_claim_lease_ms: number;
  /** Media probe: the most bytes of a source's header read (one HTTP Range request). */
  probe_bytes_max: number;
  /** Media probe: the longest a probe may take before the estimate falls back. */
  probe_timeout_ms: number;
  /** Remote engines: the longest one request to a render worker or an upstream may take. */
  engine_request_timeout_ms: number;
  /** Remote engines: the largest response body read from a render worker or an upstream. */
  engine_response_bytes_max: number;
  /** Remote engines: the first and the longest wait between two polls of an upstream job. */
  engine_poll_interval_ms: bigint;
  engine_poll_interval_ms_max: bigint;
  /** Remote engines: failed attempts to hand a job over before the job fails (costs nothing). */
  engine_start_attempts_max: number;
  /** Remote engines: consecutive failed polls of an upstream job before the job fails. */
  engine_poll_failures_max: number;
  /** Render-worker callbacks: how old a signed timestamp may be. */
  engine_callback_tolerance_ms: bigint;
};

/** Stripe, when configured: both secrets are set, or neither (then top-ups are refused). */
export type StripeConfig = {
  secret_key: string;
  webhook_secret: string;
  /** `STRIPE_API_BASE`: stripe-mock or a local fake instead of Stripe's API. */
  api_base: { protocol: 'http' | 'https'; host: string; port: number } | null;
};

/** The engines a job can be rendered by (`src/engines/`). */
export const ENGINE_NAMES = ['simulator', 'http', 'heygen'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/**
 * The per-product engine overrides: `TOLLGATE_ENGINE_<PRODUCT>` names the job kinds it covers
 * (a Video Agent's videos are `agent_video` jobs; a session renders nothing itself).
 */
export const ENGINE_OVERRIDES = {
  TOLLGATE_ENGINE_VIDEO: ['video'],
  TOLLGATE_ENGINE_LIPSYNC: ['lipsync'],
  TOLLGATE_ENGINE_TRANSLATION: ['translation'],
  TOLLGATE_ENGINE_PROOFREAD: ['proofread'],
  TOLLGATE_ENGINE_AGENT: ['agent_video'],
  TOLLGATE_ENGINE_AVATAR_TRAINING: ['avatar_training'],
  TOLLGATE_ENGINE_SPEECH: ['speech'],
} as const;

/** Which engine renders each job kind, and what the remote engines need. */
export type EngineConfig = {
  /** `TOLLGATE_ENGINE`: every kind without an override. */
  default_engine: EngineName;
  /** The overrides set, by job kind. */
  by_kind: Readonly<Record<string, EngineName>>;
  /** `TOLLGATE_HTTP_ENGINE_URL` / `_SECRET`: the render farm, when set. */
  http: { url: string; secret: string; heartbeat_timeout_ms: bigint } | null;
  /** `TOLLGATE_UPSTREAM_URL` / `_API_KEY`: the HeyGen-compatible upstream, when set. */
  upstream: { url: string; api_key: string } | null;
};

export type Config = {
  database: DatabaseTarget;
  host: string;
  port: number;
  admin_token: string | null;
  demo_enabled: boolean;
  simulator_latency_ms: number;
  log_level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How long a graceful shutdown may take before the process exits anyway. */
  shutdown_timeout_ms: number;
  /**
   * `TOLLGATE_METRICS_LISTEN`: a separate address serving `/metrics` without authentication (and
   * then not on the main port); null serves it on the main port behind the operator token.
   */
  metrics_listen: ListenAddress | null;
  /** `TOLLGATE_PUBLIC_URL` without a trailing slash (Checkout return URLs). */
  public_url: string;
  stripe: StripeConfig | null;
  /**
   * `TOLLGATE_ALLOW_PRIVATE_URLS`: outbound calls (webhooks, callbacks, engines, media probes) may
   * use plain http and private, loopback or link-local targets. Development and tests only.
   */
  allow_private_urls: boolean;
  engines: EngineConfig;
  limits: Limits;
};

export type ListenAddress = { host: string; port: number };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  page_size_max: 100,
  ledger_batch_size_max: 8_190,
  group_commit_batch_size_max: 8_190,
  group_commit_wait_ms: 1,
  body_size_bytes_max: 1_048_576,
  body_depth_max: 32,
  job_request_size_bytes_max: 65_536,
  path_param_chars_max: 128,
  request_timeout_ms: 30_000,
  hold_ttl_ms: 6n * 60n * 60n * 1000n,
  hold_ttl_ms_max: 7n * 24n * 60n * 60n * 1000n,
  job_duration_ms_max: 60n * 60n * 1000n,
  concurrent_jobs_default: 10,
  concurrent_jobs_max: 1_000,
  idempotency_ttl_ms: 24n * 60n * 60n * 1000n,
  idempotency_lease_ms: 30_000n,
  revenue_shard_count: 8,
  expire_batch_size: 500,
  job_worker_batch_size: 100,
  auto_reload_batch_size: 20,
  auto_reload_failures_max: 3,
  agent_session_idle_ms: 60n * 60n * 1000n,
  top_up_min_micro_usd: 5_000_000n,
  top_up_max_micro_usd: 10_000_000_000n,
  webhook_endpoints_max: 20,
  webhook_attempts_max: 12,
  webhook_retry_delay_ms: 5_000,
  webhook_retry_delay_ms_max: 3_600_000,
  webhook_endpoint_failures_max: 50,
  webhook_timeout_ms: 10_000,
  webhook_response_bytes_max: 65_536,
  webhook_batch_size: 50,
  webhook_claim_lease_ms: 60_000,
  probe_bytes_max: 1_048_576,
  probe_timeout_ms: 5_000,
  engine_request_timeout_ms: 30_000,
  engine_response_bytes_max: 1_048_576,
  engine_poll_interval_ms: 2_000n,
  engine_poll_interval_ms_max: 60_000n,
  engine_start_attempts_max: 5,
  engine_poll_failures_max: 20,
  engine_callback_tolerance_ms: 300_000n,
});

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One environment variable: its type, its default (`null`: unset) and its bounds. */
export type EnvVariable =
  | { type: 'integer'; default: string; min: number; max: number }
  | { type: 'flag'; default: string }
  | { type: 'enum'; default: string; values: readonly string[] }
  | { type: 'string'; default: string | null; min_length?: number }
  | { type: 'url'; default: string };

/** Every environment variable Tollgate reads; `docs/configuration.md` has one row for each. */
export const ENV_VARIABLES = {
  DATABASE_URL: { type: 'url', default: 'sqlite:./data/tollgate.db' },
  HOST: { type: 'string', default: '0.0.0.0' },
  PORT: { type: 'integer', default: '8080', min: 0, max: 65_535 },
  TOLLGATE_ADMIN_TOKEN: { type: 'string', default: null, min_length: 16 },
  TOLLGATE_DEMO: { type: 'flag', default: '1' },
  TOLLGATE_SIMULATOR_LATENCY_MS: { type: 'integer', default: '3000', min: 0, max: 600_000 },
  LOG_LEVEL: { type: 'enum', default: 'info', values: LOG_LEVELS },
  TOLLGATE_SHUTDOWN_TIMEOUT_MS: { type: 'integer', default: '10000', min: 100, max: 600_000 },
  TOLLGATE_METRICS_LISTEN: { type: 'string', default: null },
  STRIPE_SECRET_KEY: { type: 'string', default: null },
  STRIPE_WEBHOOK_SECRET: { type: 'string', default: null },
  STRIPE_API_BASE: { type: 'string', default: null },
  TOLLGATE_PUBLIC_URL: { type: 'string', default: null },
  TOLLGATE_TOP_UP_MAX_USD: { type: 'string', default: '10000' },
  TOLLGATE_AUTO_RELOAD_FAILURES_MAX: {
    type: 'integer',
    default: String(DEFAULT_LIMITS.auto_reload_failures_max),
    min: 1,
    max: 100,
  },
  TOLLGATE_IDEMPOTENCY_LEASE_MS: {
    type: 'integer',
    default: String(DEFAULT_LIMITS.idempotency_lease_ms),
    min: 100,
    max: 3_600_000,
  },
  TOLLGATE_ALLOW_PRIVATE_URLS: { type: 'flag', default: '0' },
  TOLLGATE_ENGINE: { type: 'enum', default: 'simulator', values: ENGINE_NAMES },
  TOLLGATE_ENGINE_VIDEO: { type: 'string', default: null },
  TOLLGATE_ENGINE_LIPSYNC: { type: 'string', default: null },
  TOLLGATE_ENGINE_TRANSLATION: { type: 'string', default: null },
  TOLLGATE_ENGINE_PROOFREAD: { type: 'string', default: null },
  TOLLGATE_ENGINE_AGENT: { type: 'string', default: null },
  TOLLGATE_ENGINE_AVATAR_TRAINING: { type: 'string', default: null },
  TOLLGATE_ENGINE_SPEECH: { type: 'string', default: null },
  TOLLGATE_HTTP_ENGINE_URL: { type: 'string', default: null },
  TOLLGATE_HTTP_ENGINE_SECRET: { type: 'string', default: null, min_length: 16 },
  TOLLGATE_HTTP_ENGINE_HEARTBEAT_TIMEOUT_MS: {
    type: 'integer',
    default: '60000',
    min: 1_000,
    max: 3_600_000,
  },
  TOLLGATE_UPSTREAM_URL: { type: 'string', default: null },
  TOLLGATE_UPSTREAM_API_KEY: { type: 'string', default: null },
} as const satisfies Record<string, EnvVariable>;

type EnvName = keyof typeof ENV_VARIABLES;
type Env = Record<string, string | undefined>;
type IntegerName = {
  [Name in EnvName]: (typeof ENV_VARIABLES)[Name]['type'] extends 'integer' ? Name : never;
}[EnvName];

/** The variable's text, or its declared default. */
function textOf(env: Env, name: EnvName): string | null {
  return env[name] ?? ENV_VARIABLES[name].default;
}

/** The variable as a whole number within its declared range. */
function integerOf(env: Env, name: IntegerName): number {
  const spec = ENV_VARIABLES[name];
  return parseInteger(name, env[name] ?? spec.default, spec.min, spec.max);
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const file_path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file_path.length === 0) throw new ConfigError('DATABASE_URL: sqlite: needs a file path');
    return { dialect: 'sqlite', file_path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', url };
  }
  throw new ConfigError(
    `DATABASE_URL: unsupported scheme in "${url}"; use sqlite:<file path> or postgres://…`,
  );
}

function parseInteger(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new ConfigError(`${name}: "${text}" is not a whole number`);
  const value = Number(text);
  if (value < min || value > max) {
    throw new ConfigError(`${name}: ${value} is outside ${min}..${max}`);
  }
  return value;
}

function parseFlag(name: string, text: string): boolean {
  if (['1', 'true', 'on', 'yes'].includes(text)) return true;
  if (['0', 'false', 'off', 'no'].includes(text)) return false;
  throw new ConfigError(`${name}: "${text}" is not 0 or 1`);
}

/** `host:port` or `[ipv6]:port`, such as `127.0.0.1:9464`. */
export function parseListenAddress(name: string, text: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  if (match === null) {
    throw new ConfigError(`${name}: "${text}" is not host:port (such as 127.0.0.1:9464)`);
  }
  const host = match[1] ?? match[2]!;
  return Object.freeze({ host, port: parseInteger(name, match[3]!, 0, 65_535) });
}

/** The separate address `/metrics` is served on, or null (then on the main port). */
function metricsListenOf(env: Env): ListenAddress | null {
  const text = textOf(env, 'TOLLGATE_METRICS_LISTEN') ?? '';
  return text === '' ? null : parseListenAddress('TOLLGATE_METRICS_LISTEN', text);
}

/** `STRIPE_SECRET_KEY` and `STRIPE_WEBHOOK_SECRET` together, or neither; `STRIPE_API_BASE`. */
function parseStripe(env: Env): StripeConfig | null {
  const secret_key = textOf(env, 'STRIPE_SECRET_KEY') ?? '';
  const webhook_secret = textOf(env, 'STRIPE_WEBHOOK_SECRET') ?? '';
  const base = textOf(env, 'STRIPE_API_BASE') ?? '';
  if (secret_key === '' && webhook_secret === '') return null;
  if (secret_key === '' || webhook_secret === '') {
    throw new ConfigError('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: set both, or neither');
  }
  if (base === '') return Object.freeze({ secret_key, webhook_secret, api_base: null });
  const url = URL.canParse(base) ? new URL(base) : null;
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(`STRIPE_API_BASE: "${base}" is not an http(s) URL`);
  }
  const protocol: 'http' | 'https' = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return Object.freeze({ secret_key, webhook_secret, api_base: { protocol, host, port } });
}

function parsePublicUrl(text: string): string {
  const url = URL.canParse(text) ? new URL(text) : null;
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(`TOLLGATE_PUBLIC_URL: "${text}" is not an http(s) URL`);
  }
  return text.replace(/\/+$/, '');
}

function parseTopUpMax(text: string): bigint {
  const amount = parseUsdToMicroUsd(text);
  if (amount === null || amount < DEFAULT_LIMITS.top_up_min_micro_usd) {
    throw new ConfigError(
      `TOLLGATE_TOP_UP_MAX_USD: "${text}" is not a USD amount of at least 5.00`,
    );
  }
  if (amount > AMOUNT_MICRO_USD_MAX) {
    throw new ConfigError(`TOLLGATE_TOP_UP_MAX_USD: ${text} is above the largest amount`);
  }
  return amount;
}

function engineNameOf(name: string, text: string): EngineName {
  if (!(ENGINE_NAMES as readonly string[]).includes(text)) {
    throw new ConfigError(`${name}: "${text}" is not one of ${ENGINE_NAMES.join(', ')}`);
  }
  return text as EngineName;
}

function httpUrlOf(name: string, text: string): string {
  const url = URL.canParse(text) ? new URL(text) : null;
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(`${name}: "${text}" is not an http(s) URL`);
  }
  return text;
}

/**
 * `TOLLGATE_ENGINE` and its per-product overrides; an engine in use needs its settings
 * (`http`: the worker URL and secret; `heygen`: the upstream URL and API key).
 */
function parseEngines(env: Env): EngineConfig {
  const default_engine = engineNameOf('TOLLGATE_ENGINE', textOf(env, 'TOLLGATE_ENGINE') ?? '');
  const by_kind: Record<string, EngineName> = {};
  const used = new Set<EngineName>([default_engine]);
  for (const [name, kinds] of Object.entries(ENGINE_OVERRIDES)) {
    const text = textOf(env, name as EnvName) ?? '';
    if (text === '') continue;
    const engine = engineNameOf(name, text);
    used.add(engine);
    for (const kind of kinds) by_kind[kind] = engine;
  }
  const httpUrl = textOf(env, 'TOLLGATE_HTTP_ENGINE_URL') ?? '';
  const secret = textOf(env, 'TOLLGATE_HTTP_ENGINE_SECRET') ?? '';
  const secretMin = ENV_VARIABLES.TOLLGATE_HTTP_ENGINE_SECRET.min_length;
  if (secret !== '' && secret.length < secretMin) {
    throw new ConfigError(`TOLLGATE_HTTP_ENGINE_SECRET: must be at least ${secretMin} characters`);
  }
  const heartbeat_timeout_ms = BigInt(integerOf(env, 'TOLLGATE_HTTP_ENGINE_HEARTBEAT_TIMEOUT_MS'));
  if (used.has('http') && (httpUrl === '' || secret === '')) {
    throw new ConfigError(
      'TOLLGATE_HTTP_ENGINE_URL and TOLLGATE_HTTP_ENGINE_SECRET: the http engine needs both',
    );
  }
  const upstreamUrl = textOf(env, 'TOLLGATE_UPSTREAM_URL') ?? '';
  const apiKey = textOf(env, 'TOLLGATE_UPSTREAM_API_KEY') ?? '';
  if (used.has('heygen') && (upstreamUrl === '' || apiKey === '')) {
    throw new ConfigError(
      'TOLLGATE_UPSTREAM_URL and TOLLGATE_UPSTREAM_API_KEY: the heygen engine needs both',
    );
  }
  return Object.freeze({
    default_engine,
    by_kind: Object.freeze(by_kind),
    http:
      httpUrl === '' || secret === ''
        ? null
        : Object.freeze({
            url: httpUrlOf('TOLLGATE_HTTP_ENGINE_URL', httpUrl),
            secret,
            heartbeat_timeout_ms,
          }),
    upstream:
      upstreamUrl === '' || apiKey === ''
        ? null
        : Object.freeze({
            url: httpUrlOf('TOLLGATE_UPSTREAM_URL', upstreamUrl).replace(/\/+$/, ''),
            api_key: apiKey,
          }),
  });
}

/** Builds the frozen config from an environment map (normally `process.env`). */
export function loadConfig(env: Env): Config {
  const logLevel = textOf(env, 'LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const adminToken = textOf(env, 'TOLLGATE_ADMIN_TOKEN') ?? '';
  const tokenLengthMin = ENV_VARIABLES.TOLLGATE_ADMIN_TOKEN.min_length;
  if (adminToken !== '' && adminToken.length < tokenLengthMin) {
    throw new ConfigError(`TOLLGATE_ADMIN_TOKEN: must be at least ${tokenLengthMin} characters`);
  }
  const port = integerOf(env, 'PORT');
  return Object.freeze({
    database: Object.freeze(parseDatabaseUrl(textOf(env, 'DATABASE_URL') ?? '')),
    host: textOf(env, 'HOST') ?? '',
    port,
    admin_token: adminToken === '' ? null : adminToken,
    demo_enabled: parseFlag('TOLLGATE_DEMO', textOf(env, 'TOLLGATE_DEMO') ?? ''),
    simulator_latency_ms: integerOf(env, 'TOLLGATE_SIMULATOR_LATENCY_MS'),
    log_level: logLevel as Config['log_level'],
    shutdown_timeout_ms: integerOf(env, 'TOLLGATE_SHUTDOWN_TIMEOUT_MS'),
    metrics_listen: metricsListenOf(env),
    public_url: parsePublicUrl(textOf(env, 'TOLLGATE_PUBLIC_URL') ?? `http://localhost:${port}`),
    stripe: parseStripe(env),
    allow_private_urls: parseFlag(
      'TOLLGATE_ALLOW_PRIVATE_URLS',
      textOf(env, 'TOLLGATE_ALLOW_PRIVATE_URLS') ?? '',
    ),
    engines: parseEngines(env),
    limits: Object.freeze({
      ...DEFAULT_LIMITS,
      auto_reload_failures_max: integerOf(env, 'TOLLGATE_AUTO_RELOAD_FAILURES_MAX'),
      top_up_max_micro_usd: parseTopUpMax(textOf(env, 'TOLLGATE_TOP_UP_MAX_USD') ?? ''),
      idempotency_lease_ms: BigInt(integerOf(env, 'TOLLGATE_IDEMPOTENCY_LEASE_MS')),
    }),
  });
}

/** The process environment, read here and nowhere else. */
export function loadConfigFromProcess(): Config {
  return loadConfig(process.env);
}
