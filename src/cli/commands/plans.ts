/**
 * Web plans from the command line (`plans/`): `tollgate plans list|set`, `tollgate subscriptions
 * show|set`, `tollgate credit-packs grant` and `tollgate credit-rate-cards list|import`. Credits
 * are decimal strings exact to 0.001 (`--premium-credits 600`, `--credits 1.5`). `--json` prints
 * the result as JSON.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type AppContext, withTransaction } from '../../context.ts';
import { type HeyGenPlan, listPlans, type Plan, savePlan } from '../../plans/catalog.ts';
import type { CreditRowInput } from '../../plans/credit-card.ts';
import { createCreditCard, listCreditCards } from '../../plans/credit-card-store.ts';
import { grantCreditPack } from '../../plans/credit-packs.ts';
import { formatCredits } from '../../plans/credits-format.ts';
import { readWebPlanCredits, subscribe } from '../../plans/subscriptions.ts';
import { parseDecimalExact } from '../../shared/money.ts';
import { type CliDeps, CliUsageError, runCommand } from '../deps.ts';

type Json = { json?: boolean };
type PlanOptions = Json & {
  name: string;
  heygenPlan: string;
  premiumCredits: string;
  cycleMonths: string;
  oauthConcurrencyLimit: string;
};

function creditsOf(text: string, flag: string): bigint {
  const credit_milli = parseDecimalExact(text, 3);
  if (credit_milli === null) throw new CliUsageError(`${flag} must be a decimal exact to 0.001`);
  return credit_milli;
}

function integerOf(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d{1,9}$/.test(text) || !Number.isSafeInteger(value)) {
    throw new CliUsageError(`${flag} must be a whole number`);
  }
  return value;
}

const planLine = (plan: Plan) =>
  `${plan.id} (${plan.heygen_plan}) ${formatCredits(plan.premium_credit_milli)} credits every ` +
  `${plan.cycle_months} month(s), OAuth limit ${plan.oauth_concurrency_limit}` +
  `${plan.built_in ? ', built-in' : ''}\n`;

async function webPlanSummary(ctx: AppContext, account_id: string) {
  const credits = await readWebPlanCredits(ctx.db, account_id);
  const resets = credits.subscription?.resets_at_ms;
  const text =
    credits.plan === null
      ? `${account_id} has no web plan; add-on ${formatCredits(credits.add_on_free_credit_milli)}\n`
      : `${account_id} on ${credits.plan.id}: premium ${formatCredits(credits.premium_free_credit_milli)} ` +
        `free, ${formatCredits(credits.premium_held_credit_milli)} held, resets ` +
        `${new Date(Number(resets)).toISOString()}; add-on ` +
        `${formatCredits(credits.add_on_free_credit_milli)} free\n`;
  return { value: credits, text };
}

export function registerPlanCommands(program: Command, deps: CliDeps): void {
  const plans = program.command('plans').description('the web-plan catalog');
  plans
    .command('list')
    .description('every plan: allowance, cycle and OAuth concurrency limit')
    .option('--json', 'print JSON')
    .action(async (options: Json) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const rows = await listPlans(ctx.db);
        return { value: rows, text: rows.map(planLine).join('') };
      });
    });
  plans
    .command('set <plan_id>')
    .description('store a plan, or replace the stored or built-in plan of that id')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--heygen-plan <plan>', 'what users/me shows (free, creator, pro, team, …)')
    .requiredOption('--premium-credits <credits>', 'credits granted each cycle')
    .requiredOption('--oauth-concurrency-limit <n>', 'OAuth jobs in flight at once')
    .option('--cycle-months <n>', 'months per cycle', '1')
    .option('--json', 'print JSON')
    .action(async (plan_id: string, options: PlanOptions) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const input = {
          id: plan_id,
          name: options.name,
          heygen_plan: options.heygenPlan as HeyGenPlan,
          premium_credit_milli: creditsOf(options.premiumCredits, '--premium-credits'),
          cycle_months: integerOf(options.cycleMonths, '--cycle-months'),
          oauth_concurrency_limit: integerOf(
            options.oauthConcurrencyLimit,
            '--oauth-concurrency-limit',
          ),
        };
        const plan = await withTransaction(ctx, (tx) => savePlan(tx, input));
        return { value: plan, text: `saved ${planLine(plan)}` };
      });
    });

  const subscriptions = program.command('subscriptions').description("accounts' web plans");
  subscriptions
    .command('show <account_id>')
    .description("an account's plan, credits and next reset")
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: Json) => {
      await runCommand(deps, { json: options.json === true }, (ctx) =>
        webPlanSummary(ctx, account_id),
      );
    });
  subscriptions
    .command('set <account_id>')
    .description('subscribe an account to a plan (a change applies from the next cycle)')
    .requiredOption('--plan <plan_id>', 'the plan')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: Json & { plan: string }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        await withTransaction(ctx, (tx) => subscribe(tx, { account_id, plan_id: options.plan }));
        return webPlanSummary(ctx, account_id);
      });
    });

  registerCreditCommands(program, deps);
}

function registerCreditCommands(program: Command, deps: CliDeps): void {
  program
    .command('credit-packs')
    .description('add-on credit packs')
    .command('grant <account_id>')
    .description('grant an add-on credit pack (spent after premium credits, never expires)')
    .requiredOption('--credits <credits>', 'credits in the pack')
    .option('--memo <text>', 'why')
    .option('--json', 'print JSON')
    .action(async (account_id: string, options: Json & { credits: string; memo?: string }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const input = {
          account_id,
          amount_credit_milli: creditsOf(options.credits, '--credits'),
          memo: options.memo ?? null,
        };
        const pack = await withTransaction(ctx, (tx) => grantCreditPack(tx, input));
        const text = `granted ${formatCredits(pack.amount_credit_milli)} add-on credits to ${account_id} as ${pack.id}\n`;
        return { value: pack, text };
      });
    });

  const cards = program.command('credit-rate-cards').description('credits per product');
  cards
    .command('list')
    .description('every credit rate card version and which is in effect')
    .option('--json', 'print JSON')
    .action(async (options: Json) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const versions = await listCreditCards(ctx.db, ctx.clock.now_ms());
        const text = versions.map((v) => `${v.card.version} ${v.status}\n`).join('');
        return { value: versions, text };
      });
    });
  cards
    .command('import <file>')
    .description('store a new version from JSON {version, rows: [{sku, per, credits}]}')
    .option('--effective-at <iso>', 'when it takes effect (default now)')
    .option('--json', 'print JSON')
    .action(async (file: string, options: Json & { effectiveAt?: string }) => {
      await runCommand(deps, { json: options.json === true }, async (ctx) => {
        const body = JSON.parse(readFileSync(file, 'utf8')) as {
          version: string;
          rows: CreditRowInput[];
        };
        const at = options.effectiveAt === undefined ? null : Date.parse(options.effectiveAt);
        if (at !== null && Number.isNaN(at)) {
          throw new CliUsageError('--effective-at must be an ISO 8601 instant');
        }
        const input = {
          version: body.version,
          rows: body.rows,
          effective_at_ms: at === null ? null : BigInt(at),
        };
        const version = await withTransaction(ctx, (tx) => createCreditCard(tx, input));
        return { value: version, text: `${version.card.version} ${version.status}\n` };
      });
    });
}
