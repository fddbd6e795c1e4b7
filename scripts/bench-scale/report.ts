/**
 * The benchmark's output: a table of the figures and the targets (met or missed) on stdout,
 * and as the last line exactly one JSON object.
 */

import type { LoadResult } from './load.ts';
import type { Round, Soak } from './measure.ts';

/** Issue 16, item 5: p99 on the big database within these multiples of the empty one. */
export const TARGETS = {
  users_me_p99_ratio_max: 1.2,
  videos_p99_ratio_max: 1.5,
  reconcile_s_max: 60,
  rss_mib_max: 300,
};

export type Results = {
  database: {
    accounts: number;
    transfers: number;
    jobs: number;
    build_s: number | null;
    size_mib: number;
  };
  reconcile: { seconds: number; ok: boolean; transfers_checked: number; rss_mib: number };
  empty: Round | null;
  scale: Round | null;
  soak: Soak | null;
  load_before: string;
  load_after: string;
};

const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
const ms = (value: number) => `${value.toFixed(1)} ms`;

export function renderTable(r: Results): string {
  const lines = [
    `database: ${r.database.accounts.toLocaleString('en-US')} accounts, ${r.database.transfers.toLocaleString('en-US')} transfers, ${r.database.jobs.toLocaleString('en-US')} jobs, ${r.database.size_mib.toFixed(0)} MiB` +
      (r.database.build_s === null ? ' (reused)' : `, built in ${r.database.build_s.toFixed(1)} s`),
    `reconcile: ${r.reconcile.seconds.toFixed(1)} s, ${r.reconcile.ok ? 'clean' : 'NOT CLEAN'} (target < ${TARGETS.reconcile_s_max} s: ${verdict(r.reconcile.seconds < TARGETS.reconcile_s_max)}), peak RSS of the reconcile process ${r.reconcile.rss_mib.toFixed(0)} MiB`,
  ];
  if (r.empty !== null && r.scale !== null) {
    lines.push(
      '',
      '| path | empty req/s | empty p99 | scale req/s | scale p99 | p99 ratio | target | verdict |',
      '|---|---:|---:|---:|---:|---:|---:|---|',
    );
    for (const [name, key, max] of [
      ['GET /v3/users/me', 'users_me', TARGETS.users_me_p99_ratio_max],
      ['POST /v3/videos', 'videos', TARGETS.videos_p99_ratio_max],
    ] as const) {
      const e = r.empty[key];
      const s = r.scale[key];
      const ratio = s.p99_ms / e.p99_ms;
      lines.push(
        `| ${name} | ${e.requests_per_s.toFixed(0)} | ${ms(e.p99_ms)} | ${s.requests_per_s.toFixed(0)} | ${ms(s.p99_ms)} | ${ratio.toFixed(2)}× | ≤ ${max}× | ${verdict(ratio <= max)} |`,
      );
    }
    const rss = Math.max(r.empty.rss_peak_mib, r.scale.rss_peak_mib);
    lines.push(
      '',
      `gateway RSS peak under load: ${rss.toFixed(0)} MiB (target < ${TARGETS.rss_mib_max}: ${verdict(rss < TARGETS.rss_mib_max)})`,
    );
  }
  if (r.soak !== null) {
    const s = r.soak;
    lines.push(
      '',
      `soak ${s.seconds} s (users/me ${s.users_me.requests_per_s.toFixed(0)} req/s + videos ${s.videos.requests_per_s.toFixed(0)} req/s): RSS first ${s.rss_first_mib.toFixed(1)}, peak ${s.rss_peak_mib.toFixed(1)}, last ${s.rss_last_mib.toFixed(1)} MiB, slope ${s.rss_slope_mib_per_min.toFixed(2)} MiB/min after the first minute (${s.samples} samples)`,
      `  peak < ${TARGETS.rss_mib_max} MiB: ${verdict(s.rss_peak_mib < TARGETS.rss_mib_max)}`,
    );
  }
  for (const f of failedLoads(r))
    lines.push(
      `FAILED: ${f.endpoint} had ${f.non_2xx} non-2xx answers and ${f.errors} errors: ${JSON.stringify(f.status_counts)} ${JSON.stringify(f.first_error_bodies)}`,
    );
  lines.push('', `load average before: ${r.load_before}; after: ${r.load_after}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The loads that got any answer other than a 2xx, or a socket error or timeout: a latency or a
 * memory figure measured on error answers says nothing, so the run fails.
 */
export function failedLoads(r: Results): LoadResult[] {
  return [r.empty, r.scale, r.soak]
    .flatMap((round) => (round === null ? [] : [round.users_me, round.videos]))
    .filter((x) => x.non_2xx + x.errors > 0);
}

export function renderJson(r: Results): string {
  const ratio = (key: 'users_me' | 'videos') =>
    r.empty && r.scale ? round(r.scale[key].p99_ms / r.empty[key].p99_ms) : null;
  return `${JSON.stringify({
    ok: r.reconcile.ok && failedLoads(r).length === 0,
    accounts: r.database.accounts,
    transfers: r.database.transfers,
    reconcile_s: round(r.reconcile.seconds),
    reconcile_ok: r.reconcile.ok,
    reconcile_rss_peak_mib: round(r.reconcile.rss_mib),
    users_me_p99_ms:
      r.empty && r.scale
        ? { empty: r.empty.users_me.p99_ms, scale: r.scale.users_me.p99_ms }
        : null,
    videos_p99_ms:
      r.empty && r.scale ? { empty: r.empty.videos.p99_ms, scale: r.scale.videos.p99_ms } : null,
    users_me_p99_ratio: ratio('users_me'),
    videos_p99_ratio: ratio('videos'),
    rss_peak_mib:
      r.empty && r.scale ? round(Math.max(r.empty.rss_peak_mib, r.scale.rss_peak_mib)) : null,
    soak: r.soak && {
      seconds: r.soak.seconds,
      rss_first_mib: round(r.soak.rss_first_mib),
      rss_peak_mib: round(r.soak.rss_peak_mib),
      rss_last_mib: round(r.soak.rss_last_mib),
      rss_slope_mib_per_min: round(r.soak.rss_slope_mib_per_min),
    },
  })}\n`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
