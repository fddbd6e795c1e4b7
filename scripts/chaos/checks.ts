/**
 * What a chaos run checks once the dust settles, through the public and operator APIs only, plus
 * `tollgate reconcile --json` on the database: every acknowledged job ended completed or failed,
 * the gateway holds no job the client does not know of (each key ran at most once), the wallet
 * moved by exactly the charges the client learned of, no hold is left, and the ledger reconciles.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from './processes.ts';

const SETTLE_TIMEOUT_MS = 120_000;
const ROOT = join(import.meta.dirname, '..', '..');

type VideoDetail = {
  id: string;
  status: string;
  billing: { charged_amount_micro_usd: number | null };
};

export type Outcome = {
  jobs_completed: number;
  jobs_failed: number;
  jobs_not_ended: number;
  jobs_unknown_to_client: number;
  charged_micro_usd: number;
  wallet_moved_micro_usd: number;
  held_micro_usd: number;
};

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Waits until every acknowledged job has ended (or the timeout), then totals what it cost. */
export async function settleAndCount(parts: {
  base_url: string;
  api_key: string;
  admin_token: string;
  account_id: string;
  grant_micro_usd: number;
  video_ids: string[];
}): Promise<Outcome> {
  const customer = { 'x-api-key': parts.api_key };
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let details: VideoDetail[] = [];
  for (;;) {
    details = [];
    for (const id of parts.video_ids) {
      const { data } = await getJson<{ data: VideoDetail }>(
        `${parts.base_url}/v3/videos/${id}`,
        customer,
      );
      details.push(data);
    }
    const open = details.filter((video) => !['completed', 'failed'].includes(video.status));
    if (open.length === 0 || Date.now() > deadline) break;
    await sleep(250);
  }
  const listed = await listAllVideoIds(parts.base_url, customer);
  const known = new Set(parts.video_ids);
  const { data: account } = await getJson<{
    data: { wallet: { posted_balance_micro_usd: number; held_micro_usd: number } };
  }>(`${parts.base_url}/admin/v1/accounts/${parts.account_id}`, {
    authorization: `Bearer ${parts.admin_token}`,
  });
  const count = (status: string) => details.filter((video) => video.status === status).length;
  return {
    jobs_completed: count('completed'),
    jobs_failed: count('failed'),
    jobs_not_ended: details.length - count('completed') - count('failed'),
    jobs_unknown_to_client: listed.filter((id) => !known.has(id)).length,
    charged_micro_usd: details.reduce(
      (sum, v) => sum + (v.billing.charged_amount_micro_usd ?? 0),
      0,
    ),
    wallet_moved_micro_usd: parts.grant_micro_usd - account.wallet.posted_balance_micro_usd,
    held_micro_usd: account.wallet.held_micro_usd,
  };
}

async function listAllVideoIds(base_url: string, headers: Record<string, string>) {
  const ids: string[] = [];
  let token: string | null = null;
  do {
    const query: string = token === null ? '' : `&token=${encodeURIComponent(token)}`;
    const page = await getJson<{ data: { id: string }[]; next_token: string | null }>(
      `${base_url}/v3/videos?limit=100${query}`,
      headers,
    );
    ids.push(...page.data.map((video) => video.id));
    token = page.next_token;
  } while (token !== null);
  return ids;
}

/** `npm run tollgate -- reconcile --json` on the run's database; its report's `ok`. */
export async function runReconcile(database_url: string): Promise<boolean> {
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, ['src/cli/main.ts', 'reconcile', '--json'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: database_url, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const report = JSON.parse(out) as { ok: boolean };
  return code === 0 && report.ok === true;
}
