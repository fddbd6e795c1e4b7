/**
 * The rows of one customer of the scale database, generated without Tollgate's code but exactly
 * as Tollgate writes them: the account, its API key, its three wallet ledger accounts (the two
 * pools and the debt account) with the
 * balances its transfers produce, its grants, and its video jobs, each a hold (one pending
 * transfer per wallet part, promotional first) and, unless still in flight, its resolution (a
 * post of the actual price, or a void for a failed render) with the pending rows' states.
 * Deterministic from the customer's index, so the benchmark can recompute any sampled key.
 */
import { hash } from 'node:crypto';
import { revenueShardId } from '../../src/ledger/operator-accounts.ts';
import { POOL_PRIORITY as POOL_PRIORITY_BIGINT } from '../../src/wallets/grant-terms.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DAY_MS = 86_400_000;
const POOL_PRIORITY = Number(POOL_PRIORITY_BIGINT);
const HOLD_TTL_MS = 6 * 3_600_000;
/** A 15 s estimate of a 720p photo-avatar video at $0.05/s; the charge is 50 µUSD per ms. */
const VIDEO_HOLD_MICRO_USD = 750_000;
const VIDEO_RATE_MICRO_USD_PER_MS = 50;
const PAID_GRANT_MICRO_USD = 50_000_000;
const PROMOTIONAL_GRANT_MICRO_USD = 5_000_000;
/** Accounts the load generator uses get this much more, enough for a long soak. */
export const LOAD_GRANT_MICRO_USD = 100_000_000_000;
/** One job in this many failed (voided, free); one in IN_FLIGHT_EVERY is still in flight. */
const FAILED_EVERY = 20;
const IN_FLIGHT_EVERY = 2_000;
const REQUEST_JSON = JSON.stringify({
  type: 'avatar',
  avatar_id: 'look_photo_lena',
  resolution: '720p',
  script: 'Welcome to our quarterly update. '.repeat(5).trim(),
});
const USAGE_JSON = JSON.stringify({
  product: 'avatar_video',
  engine: 'avatar_iv',
  avatar_type: 'photo_avatar',
  resolution: '720p',
});
const MEDIA_BASE = 'https://simulator.tollgate.example/videos';

/** A 20-character id body: the sequence number first (so ids sort in creation order), then noise. */
function idBody(sequence: number, salt: number): string {
  let head = '';
  for (let n = sequence, i = 0; i < 6; i++, n = Math.floor(n / 62)) head = BASE62[n % 62] + head;
  // A cheap integer hash (splitmix-style) is enough noise; ids need not be secret here.
  let x = (Math.imul(sequence ^ 0x9e3779b9, 0x85ebca6b) + salt) | 0;
  let tail = '';
  for (let i = 0; i < 14; i++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
    x ^= x + Math.imul(x ^ (x >>> 7), 0x297a2d39);
    tail += BASE62[((x ^ (x >>> 14)) >>> 0) % 62];
  }
  return head + tail;
}

export function accountIdOf(index: number): string {
  return `acct_${idBody(index, 1)}`;
}

/** The API key in clear of customer `index` (only its SHA-256 is stored, as Tollgate does). */
export function apiKeyOf(index: number, seed: number): string {
  return `tg_${idBody(index, seed)}${idBody(index, seed + 1).slice(8)}`;
}

/** `revenueAccountIdFor` of `ledger/operator-accounts.ts`, with the one-shot (faster) hash. */
function revenueAccountOf(owner_id: string, shard_count: number): string {
  const digest = hash('sha256', owner_id, 'buffer');
  return revenueShardId('usd_micro', digest.readUInt32BE(0) % shard_count);
}

export type Balance = {
  debits_pending: number;
  debits_posted: number;
  credits_pending: number;
  credits_posted: number;
};
export type Row = readonly unknown[];
export type CustomerRows = {
  account: Row;
  api_key: Row;
  ledger_accounts: Row[];
  grants: Row[];
  transfers: Row[];
  pendings: Row[];
  jobs: Row[];
  /** What each operator account gained, to add to its balances at the end. */
  operator: Map<string, Balance>;
};

export type CustomerPlan = {
  index: number;
  job_count: number;
  /** True for the accounts the load generator calls: they get LOAD_GRANT_MICRO_USD more. */
  load: boolean;
  now_ms: number;
  seed: number;
  revenue_shard_count: number;
};

const zero = (): Balance => ({
  debits_pending: 0,
  debits_posted: 0,
  credits_pending: 0,
  credits_posted: 0,
});

/** Builds every row of one customer. Job ids come from `nextJob` so they sort globally. */
export function customerRows(plan: CustomerPlan, nextJob: () => number): CustomerRows {
  const id = accountIdOf(plan.index);
  const created_ms = plan.now_ms - 200 * DAY_MS + plan.index;
  const wallet = { promotional: `wallet:${id}:promotional`, paid: `wallet:${id}:paid` };
  const balances = { promotional: zero(), paid: zero() };
  const revenue = revenueAccountOf(id, plan.revenue_shard_count);
  const out: CustomerRows = {
    account: [
      id,
      `user${plan.index}`,
      `user${plan.index}@example.com`,
      'Scale',
      `User ${plan.index}`,
      0,
      0,
      null,
      created_ms,
      0,
    ],
    api_key: apiKeyRow(plan, id, created_ms),
    ledger_accounts: [],
    grants: [],
    transfers: [],
    pendings: [],
    jobs: [],
    operator: new Map(),
  };
  const credit = (operator: string, kind: 'promotional' | 'paid', amount: number, at: number) => {
    const grantId = `grant_${idBody(plan.index * 4 + out.grants.length, 2)}`;
    const code = kind === 'paid' ? 10 : 11;
    out.transfers.push([
      `${grantId}:credit`,
      operator,
      wallet[kind],
      amount,
      null,
      0,
      0,
      code,
      grantId,
      'usd_micro',
      at,
    ]);
    // A pool grant, as migration 2026_12_02_0001 leaves a grant made before grants had terms:
    // its money is in the pool account (always part of the wallet), the grant row closed.
    out.grants.push([
      grantId,
      id,
      kind,
      amount,
      null,
      `${grantId}:credit`,
      at,
      wallet[kind],
      POOL_PRIORITY,
      at,
    ]);
    balances[kind].credits_posted += amount;
    addOperator(out.operator, operator, 'debits_posted', amount);
  };
  credit('operator:cash:usd_micro', 'paid', PAID_GRANT_MICRO_USD, created_ms + 1_000);
  if (plan.index % 5 === 0) {
    credit(
      'operator:promotions:usd_micro',
      'promotional',
      PROMOTIONAL_GRANT_MICRO_USD,
      created_ms + 2_000,
    );
  }
  if (plan.load)
    credit('operator:cash:usd_micro', 'paid', LOAD_GRANT_MICRO_USD, created_ms + 3_000);
  for (let j = 0; j < plan.job_count; j++) {
    const sequence = nextJob();
    const at = created_ms + 10_000 + Math.floor(((j + 1) / (plan.job_count + 1)) * 190 * DAY_MS);
    addJob(
      out,
      { id: `video_${idBody(sequence, 3)}`, account_id: id, sequence, at, plan },
      { wallet, balances, revenue },
    );
  }
  // The debt account (`wallet-accounts.ts`): no flags, created with every customer account.
  out.ledger_accounts.push([`wallet:${id}:debt`, 'usd_micro', 1, 0, id, 0, 0, 0, 0, created_ms]);
  for (const kind of ['paid', 'promotional'] as const) {
    const b = balances[kind];
    out.ledger_accounts.push([
      wallet[kind],
      'usd_micro',
      1,
      1,
      id,
      b.debits_pending,
      b.debits_posted,
      b.credits_pending,
      b.credits_posted,
      created_ms,
    ]);
  }
  return out;
}

function apiKeyRow(plan: CustomerPlan, account_id: string, created_ms: number): Row {
  const key = apiKeyOf(plan.index, plan.seed);
  const key_hash = hash('sha256', key, 'hex');
  return [
    `key_${idBody(plan.index, 4)}`,
    account_id,
    key.slice(0, 11),
    key_hash,
    'default',
    created_ms,
    null,
    null,
  ];
}

type Wallet = {
  wallet: { promotional: string; paid: string };
  balances: { promotional: Balance; paid: Balance };
  revenue: string;
};
type Job = { id: string; account_id: string; sequence: number; at: number; plan: CustomerPlan };

/** One video job: its hold parts, its resolution (unless in flight) and its row. */
function addJob(out: CustomerRows, job: Job, w: Wallet): void {
  const promoAvailable = available(w.balances.promotional);
  const promo = Math.min(VIDEO_HOLD_MICRO_USD, Math.max(0, promoAvailable));
  const parts = (
    [
      ['promotional', promo],
      ['paid', VIDEO_HOLD_MICRO_USD - promo],
    ] as const
  ).filter(([, amount]) => amount > 0);
  const inFlight = job.sequence % IN_FLIGHT_EVERY === IN_FLIGHT_EVERY - 1;
  const failed = !inFlight && job.sequence % FAILED_EVERY === FAILED_EVERY - 1;
  const duration_ms = 4_000 + ((job.sequence * 7_919) % 11_001);
  const charge = failed || inFlight ? 0 : duration_ms * VIDEO_RATE_MICRO_USD_PER_MS;
  const created = inFlight ? job.plan.now_ms - 60_000 : job.at;
  const resolved = created + 250;
  let remaining = charge;
  parts.forEach(([kind, amount], index) => {
    const last = index === parts.length - 1;
    const holdId = `${job.id}:hold:${kind}`;
    out.transfers.push([
      holdId,
      w.wallet[kind],
      w.revenue,
      amount,
      null,
      last ? 2 : 3,
      HOLD_TTL_MS,
      1,
      job.id,
      'usd_micro',
      created,
    ]);
    const b = w.balances[kind];
    if (inFlight) {
      out.pendings.push([holdId, 'pending', created + HOLD_TTL_MS, null, null]);
      b.debits_pending += amount;
      addOperator(out.operator, w.revenue, 'credits_pending', amount);
      return;
    }
    const posted = last ? remaining : Math.min(remaining, amount);
    remaining -= posted;
    const resolveId = `${job.id}:resolve:${kind}`;
    const link = last ? 0 : 1;
    const flags = (posted > 0 ? 4 : 8) | link;
    const stored = posted > 0 ? posted : amount;
    out.transfers.push([
      resolveId,
      w.wallet[kind],
      w.revenue,
      stored,
      holdId,
      flags,
      0,
      posted > 0 ? 2 : 3,
      job.id,
      'usd_micro',
      resolved,
    ]);
    out.pendings.push([
      holdId,
      posted > 0 ? 'posted' : 'voided',
      created + HOLD_TTL_MS,
      resolveId,
      resolved,
    ]);
    b.debits_posted += posted;
    addOperator(out.operator, w.revenue, 'credits_posted', posted);
  });
  out.jobs.push(jobRow(job, { created, inFlight, failed, duration_ms, charge }));
}

function jobRow(
  job: Job,
  o: { created: number; inFlight: boolean; failed: boolean; duration_ms: number; charge: number },
): Row {
  const done = !o.inFlight;
  const media = (ext: string) => (done && !o.failed ? `${MEDIA_BASE}/${job.id}.${ext}` : null);
  const status = o.inFlight ? 'processing' : o.failed ? 'failed' : 'completed';
  return [
    job.id,
    job.account_id,
    'avatar_video',
    status,
    null,
    REQUEST_JSON,
    USAGE_JSON,
    'heygen-payg-2026-06',
    'script_chars_at_10_per_s',
    VIDEO_HOLD_MICRO_USD,
    done ? o.charge : null,
    done && !o.failed ? o.duration_ms : null,
    'mp4',
    null,
    null,
    0,
    'simulator',
    o.failed ? 'render_failed' : null,
    o.failed ? 'The render failed.' : null,
    media('mp4'),
    media('jpg'),
    o.created,
    o.created + 150,
    // An in-flight job is due now: the gateway's worker settles it in its first ticks.
    o.inFlight ? job.plan.now_ms : o.created + 200,
    done ? o.created + 250 : null,
    o.created + HOLD_TTL_MS,
    null,
    'avatar_iv_v.photo_avatar.hd',
    media('gif'),
    null,
    media('srt'),
    15_000,
    'video',
    null,
    null,
    null,
  ];
}

function available(b: Balance): number {
  return b.credits_posted - b.debits_posted - b.debits_pending;
}

function addOperator(
  map: Map<string, Balance>,
  id: string,
  field: keyof Balance,
  amount: number,
): void {
  const entry = map.get(id) ?? zero();
  entry[field] += amount;
  map.set(id, entry);
}

export const JOB_COLUMNS = [
  'id',
  'account_id',
  'product',
  'status',
  'title',
  'request_json',
  'usage_json',
  'rate_card_version',
  'estimate_rule',
  'hold_amount_micro_usd',
  'charged_amount_micro_usd',
  'duration_ms',
  'output_format',
  'callback_url',
  'callback_id',
  'test',
  'engine',
  'failure_code',
  'failure_message',
  'video_url',
  'thumbnail_url',
  'created_at_ms',
  'started_at_ms',
  'ready_at_ms',
  'completed_at_ms',
  'hold_expires_at_ms',
  'deleted_at_ms',
  'sku',
  'gif_url',
  'captioned_video_url',
  'subtitle_url',
  'estimated_duration_ms',
  'kind',
  'rate_override_id',
  'group_id',
  'parent_id',
] as const;
