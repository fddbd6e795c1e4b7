/**
 * The plan catalog: what each web plan gives an account every cycle (its premium-credit
 * allowance), how long a cycle lasts, how many jobs its OAuth credentials may run at once, and
 * the name HeyGen's `users/me` shows for it. Built-in defaults (`DEFAULT_PLANS`, assumptions the
 * operator should review, docs/web-plans.md) apply until the operator stores a plan of the same
 * id; a stored plan replaces its default wholesale. A change applies to an account's next cycle
 * (the allowance) and to its next admission (the concurrency limit); a cycle already granted keeps
 * what it was given.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { planError } from './errors.ts';
import type { PlanRow } from './plans.table.ts';

/** The plans HeyGen's `users/me` schema knows (`subscription.plan`). */
export const HEYGEN_PLANS = [
  'free',
  'starter',
  'creator',
  'pro',
  'team',
  'enterprise',
  'business_plus',
] as const;
export type HeyGenPlan = (typeof HEYGEN_PLANS)[number];

export type Plan = {
  id: string;
  name: string;
  heygen_plan: HeyGenPlan;
  premium_credit_milli: bigint;
  cycle_months: number;
  oauth_concurrency_limit: number;
  /** True while no stored row replaces the built-in default. */
  built_in: boolean;
};

export const CREDIT_MILLI_PER_CREDIT = 1_000n;
export const PLAN_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const CYCLE_MONTHS_MAX = 12;
/** One million credits per cycle: far above any published plan, far below the ledger's bounds. */
export const PREMIUM_CREDIT_MILLI_MAX = 1_000_000n * CREDIT_MILLI_PER_CREDIT;
export const OAUTH_CONCURRENCY_LIMIT_MAX = 1_000;

const credits = (n: bigint) => n * CREDIT_MILLI_PER_CREDIT;

/**
 * Assumptions (docs/web-plans.md): allowances from HeyGen's help centre (Creator 600, Pro from
 * 1,000, Business 1,500 credits a month); Free and Enterprise are Tollgate's guesses. HeyGen's
 * `users/me` has no `business`: its Business plan shows as `team`, the plan it replaced. Every
 * OAuth limit is below the API keys' default of 10 ("API key authentication provides higher
 * concurrency limits").
 */
export const DEFAULT_PLANS: readonly Plan[] = Object.freeze([
  plan('free', 'Free', 'free', credits(10n), 1),
  plan('creator', 'Creator', 'creator', credits(600n), 2),
  plan('pro', 'Pro', 'pro', credits(1_000n), 3),
  plan('business', 'Business', 'team', credits(1_500n), 5),
  plan('enterprise', 'Enterprise', 'enterprise', credits(5_000n), 8),
]);

function plan(
  id: string,
  name: string,
  heygen_plan: HeyGenPlan,
  premium_credit_milli: bigint,
  oauth_concurrency_limit: number,
): Plan {
  return Object.freeze({
    id,
    name,
    heygen_plan,
    premium_credit_milli,
    cycle_months: 1,
    oauth_concurrency_limit,
    built_in: true,
  });
}

function toPlan(row: PlanRow): Plan {
  return {
    id: row.id,
    name: row.name,
    heygen_plan: isHeyGenPlan(row.heygen_plan) ? row.heygen_plan : 'free',
    premium_credit_milli: row.premium_credit_milli,
    cycle_months: Number(row.cycle_months),
    oauth_concurrency_limit: Number(row.oauth_concurrency_limit),
    built_in: false,
  };
}

export function isHeyGenPlan(value: string): value is HeyGenPlan {
  return (HEYGEN_PLANS as readonly string[]).includes(value);
}

/** The plan with `id` (stored, else built-in), or `plan_not_found` naming `param`. */
export async function getPlan(db: Kysely<DB>, id: string, param = 'plan_id'): Promise<Plan> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (row !== undefined) return toPlan(row);
  const builtIn = DEFAULT_PLANS.find((candidate) => candidate.id === id);
  if (builtIn !== undefined) return builtIn;
  throw planError('plan_not_found', `No plan ${id}.`, { param });
}

/** Every plan: the built-in ones (or the stored rows replacing them), then the operator's own. */
export async function listPlans(db: Kysely<DB>): Promise<Plan[]> {
  const rows = (await db.selectFrom('plans').selectAll().orderBy('id').execute()).map(toPlan);
  const stored = new Map(rows.map((row) => [row.id, row]));
  const builtIn = DEFAULT_PLANS.map((candidate) => stored.get(candidate.id) ?? candidate);
  return [...builtIn, ...rows.filter((row) => !DEFAULT_PLANS.some((d) => d.id === row.id))];
}

export type PlanInput = Omit<Plan, 'built_in'>;

/**
 * Stores a plan (creating it, or replacing the stored or built-in plan of the same id). Rejects
 * (`plan_rejected`, naming the field) an id, allowance, cycle or limit out of range.
 */
export async function savePlan(tx: TxContext, input: PlanInput): Promise<Plan> {
  checkPlan(input);
  const row = {
    id: input.id,
    name: input.name,
    heygen_plan: input.heygen_plan,
    premium_credit_milli: input.premium_credit_milli,
    cycle_months: BigInt(input.cycle_months),
    oauth_concurrency_limit: BigInt(input.oauth_concurrency_limit),
    updated_at_ms: tx.clock.now_ms(),
  };
  await tx.db
    .insertInto('plans')
    .values(row)
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet({
        name: row.name,
        heygen_plan: row.heygen_plan,
        premium_credit_milli: row.premium_credit_milli,
        cycle_months: row.cycle_months,
        oauth_concurrency_limit: row.oauth_concurrency_limit,
        updated_at_ms: row.updated_at_ms,
      }),
    )
    .execute();
  return toPlan(row);
}

function checkPlan(input: PlanInput): void {
  const reject = (param: string, problem: string) => {
    throw planError('plan_rejected', `Plan ${input.id}: ${problem}.`, { param });
  };
  if (!PLAN_ID_PATTERN.test(input.id)) reject('plan_id', 'the id must match [a-z0-9_-], 1–64');
  if (input.name.length < 1 || input.name.length > 100) reject('name', 'name is 1–100 characters');
  if (!isHeyGenPlan(input.heygen_plan)) {
    reject('heygen_plan', `heygen_plan must be one of ${HEYGEN_PLANS.join(', ')}`);
  }
  if (input.premium_credit_milli < 0n || input.premium_credit_milli > PREMIUM_CREDIT_MILLI_MAX) {
    reject('premium_credits', 'premium credits must be between 0 and 1,000,000');
  }
  if (
    !Number.isInteger(input.cycle_months) ||
    input.cycle_months < 1 ||
    input.cycle_months > CYCLE_MONTHS_MAX
  ) {
    reject('cycle_months', `a cycle lasts 1 to ${CYCLE_MONTHS_MAX} months`);
  }
  const limit = input.oauth_concurrency_limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > OAUTH_CONCURRENCY_LIMIT_MAX) {
    reject('oauth_concurrency_limit', `the limit is 1 to ${OAUTH_CONCURRENCY_LIMIT_MAX}`);
  }
}
