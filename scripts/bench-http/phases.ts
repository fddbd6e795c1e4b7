/**
 * One measured phase: a warm-up, then the measured load against the phase's nodes while their
 * CPU time and resident memory are read, then (on a gateway) the wait until the job worker has
 * settled every admitted job and the gateway's own `tollgate reconcile` on the database. A phase
 * always returns its figures; whether it passed (clean reconcile, no 5xx, no refused or reset
 * connection) is part of them, so a failing run still prints what it measured.
 */
import { runReconcile } from '../chaos/checks.ts';
import { type Customer, waitUntilSettled } from './customers.ts';
import { type RequestKind, runLoad } from './load.ts';
import type { ServerNode } from './nodes.ts';
import { cpuTimeMs, sampleRss } from './proc.ts';

export type PhaseSpec = {
  /** Stable key in the JSON line, such as `sqlite.videos`. */
  key: string;
  name: string;
  kind: RequestKind;
};

export type PhaseTarget = {
  nodes: readonly ServerNode[];
  customers: readonly Customer[];
  admin_token: string;
  /** The gateway's database, reconciled after the phase; null for the hello world. */
  database_url: string | null;
};

export type LoadSettings = { connections: number; duration_s: number; warmup_s: number };

export type NodeFigures = {
  name: string;
  ok_count: number;
  cpu_ms: number;
  /** CPU time per 2xx response (per admitted job for `POST /v3/videos`). */
  cpu_ms_per_ok: number | null;
  rss_peak_bytes: number;
};

export type PhaseResult = {
  key: string;
  name: string;
  kind: RequestKind;
  node_count: number;
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  response_count: number;
  non_2xx_count: number;
  server_5xx_count: number;
  error_count: number;
  timeout_count: number;
  status_counts: Record<string, number>;
  nodes: NodeFigures[];
  /** null where there is no ledger (the hello world). */
  reconcile_ok: boolean | null;
  failures: string[];
};

export function progress(message: string): void {
  process.stderr.write(`[bench:http] ${message}\n`);
}

function failuresOf(result: Omit<PhaseResult, 'failures'>): string[] {
  const failures: string[] = [];
  if (result.server_5xx_count > 0) failures.push(`${result.server_5xx_count} responses were 5xx`);
  // A timeout is a slow answer, reported in the figures; a refused or reset connection is not.
  if (result.error_count > 0) failures.push(`${result.error_count} connection errors`);
  if (result.reconcile_ok === false) failures.push('reconcile found drift');
  if (result.response_count === 0) failures.push('no response at all');
  return failures.map((text) => `${result.key}: ${text}`);
}

async function settleAndReconcile(phase: PhaseSpec, target: PhaseTarget): Promise<boolean | null> {
  if (target.database_url === null) return null;
  if (phase.kind === 'videos' || phase.kind === 'videos_idem') {
    progress(`${phase.name}: waiting for the job worker to settle every job`);
    await waitUntilSettled(target.nodes[0]!.base_url, target.admin_token, target.customers);
  }
  return runReconcile(target.database_url);
}

export async function runPhase(
  phase: PhaseSpec,
  target: PhaseTarget,
  settings: LoadSettings,
): Promise<PhaseResult> {
  const load = {
    kind: phase.kind,
    base_urls: target.nodes.map((node) => node.base_url),
    api_keys: target.customers.map((customer) => customer.api_key),
    connections: settings.connections,
  };
  if (settings.warmup_s > 0) {
    progress(`${phase.name}: warm-up ${settings.warmup_s} s`);
    await runLoad({ ...load, duration_s: settings.warmup_s });
  }
  progress(`${phase.name}: measuring ${settings.duration_s} s`);
  const cpuBefore = target.nodes.map((node) => cpuTimeMs(node.pid));
  const samplers = target.nodes.map((node) => sampleRss(node.pid));
  const measured = await runLoad({ ...load, duration_s: settings.duration_s });
  const cpuAfter = target.nodes.map((node) => cpuTimeMs(node.pid));
  const nodes = target.nodes.map((node, index): NodeFigures => {
    const ok_count = measured.per_node[index]!.ok_count;
    const cpu_ms = cpuAfter[index]! - cpuBefore[index]!;
    return {
      name: node.name,
      ok_count,
      cpu_ms,
      cpu_ms_per_ok: ok_count === 0 ? null : cpu_ms / ok_count,
      rss_peak_bytes: samplers[index]!.stop(),
    };
  });
  const reconcile_ok = await settleAndReconcile(phase, target);
  const result = {
    ...phase,
    node_count: target.nodes.length,
    req_per_s: measured.response_count / measured.elapsed_s,
    p50_ms: measured.latency_ms.p50,
    p99_ms: measured.latency_ms.p99,
    response_count: measured.response_count,
    non_2xx_count: measured.non_2xx_count,
    server_5xx_count: measured.server_5xx_count,
    error_count: measured.error_count,
    timeout_count: measured.timeout_count,
    status_counts: measured.status_counts,
    nodes,
    reconcile_ok,
  };
  const failures = failuresOf(result);
  const verdict = failures.length === 0 ? 'ok' : `FAILED (${failures.join('; ')})`;
  progress(
    `${phase.name}: ${Math.round(result.req_per_s)} req/s, p99 ${result.p99_ms.toFixed(1)} ms, ${verdict}`,
  );
  return { ...result, failures };
}
