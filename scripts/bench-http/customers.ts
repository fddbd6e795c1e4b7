/**
 * The benchmark's customers: many funded accounts, each with its own API key, created through
 * the operator API (the chaos run's `createFundedCustomer`), so requests can rotate keys the way
 * many clients would. And the wait at the end of a phase until the job worker has settled every
 * job the phase admitted (no money held on any account), before the ledger is reconciled.
 */
import { createFundedCustomer } from '../chaos/client.ts';
import { sleep } from '../chaos/processes.ts';

export type Customer = { account_id: string; api_key: string };

/** Enough for every phase of a long run: $0.75 held per video. */
const GRANT_USD = '1000000.00';
const SETUP_CONCURRENCY = 8;
const DRAIN_POLL_MS = 250;
const DRAIN_TIMEOUT_MS = 120_000;

async function inParallel<T>(count: number, limit: number, fn: (index: number) => Promise<T>) {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) results[index] = await fn(index);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

export function createCustomers(
  base_url: string,
  admin_token: string,
  count: number,
): Promise<Customer[]> {
  return inParallel(count, SETUP_CONCURRENCY, (index) =>
    createFundedCustomer(base_url, admin_token, GRANT_USD, `bench-${index}`),
  );
}

async function heldMicroUsd(base_url: string, admin_token: string, account_id: string) {
  const res = await fetch(`${base_url}/admin/v1/accounts/${account_id}`, {
    headers: { authorization: `Bearer ${admin_token}` },
  });
  if (res.status !== 200) throw new Error(`GET account ${account_id}: ${res.status}`);
  const body = (await res.json()) as { data: { wallet: { held_micro_usd: number } } };
  return body.data.wallet.held_micro_usd;
}

/** Resolves once no account has money held (every job settled); throws after the timeout. */
export async function waitUntilSettled(
  base_url: string,
  admin_token: string,
  customers: readonly Customer[],
): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let open = [...customers];
  while (open.length > 0) {
    const held = await inParallel(open.length, SETUP_CONCURRENCY, (index) =>
      heldMicroUsd(base_url, admin_token, open[index]!.account_id),
    );
    open = open.filter((_, index) => held[index] !== 0);
    if (open.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`${open.length} accounts still hold money ${DRAIN_TIMEOUT_MS} ms after load`);
    }
    await sleep(DRAIN_POLL_MS);
  }
}
