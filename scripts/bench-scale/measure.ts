/**
 * One measurement round on one database: start a gateway on it, wait until the jobs it finds in
 * flight are settled, warm up, then load `GET /v3/users/me` and `POST /v3/videos` in turn while
 * sampling the gateway's resident memory; and the soak, which runs both at once for a long time
 * and reports how the memory moved (first, peak, last sample and the least-squares slope).
 */
import SQLite from 'better-sqlite3';
import { startGateway } from './gateway.ts';
import { type LoadResult, runLoad } from './load.ts';

export type Round = { users_me: LoadResult; videos: LoadResult; rss_peak_mib: number };
export type Soak = {
  seconds: number;
  samples: number;
  rss_first_mib: number;
  rss_peak_mib: number;
  rss_last_mib: number;
  /** Least-squares slope of RSS over the samples after the first minute, MiB per minute. */
  rss_slope_mib_per_min: number;
  users_me: LoadResult;
  videos: LoadResult;
};

const SETTLE_WAIT_MS_MAX = 120_000;
const WARMUP_S = 5;
const RSS_SAMPLE_MS = 2_000;
const SOAK_RSS_SAMPLE_MS = 5_000;
const SOAK_SLOPE_SKIP_S = 60;

export async function measureRound(options: {
  file: string;
  api_keys: readonly string[];
  connections: number;
  duration_s: number;
}): Promise<Round> {
  const gateway = await startGateway(options.file);
  const peak = { value: 0 };
  const sampler = setInterval(() => {
    peak.value = Math.max(peak.value, gateway.rssMib());
  }, RSS_SAMPLE_MS);
  try {
    await waitForJobsSettled(options.file);
    const base = {
      base_url: gateway.base_url,
      api_keys: options.api_keys,
      connections: options.connections,
    };
    await runLoad({ ...base, endpoint: 'users_me', duration_s: WARMUP_S });
    const users_me = await runLoad({
      ...base,
      endpoint: 'users_me',
      duration_s: options.duration_s,
    });
    const videos = await runLoad({ ...base, endpoint: 'videos', duration_s: options.duration_s });
    peak.value = Math.max(peak.value, gateway.rssMib());
    return { users_me, videos, rss_peak_mib: peak.value };
  } finally {
    clearInterval(sampler);
    await gateway.stop();
  }
}

export async function soak(options: {
  file: string;
  api_keys: readonly string[];
  connections: number;
  seconds: number;
  log: (line: string) => void;
}): Promise<Soak> {
  const gateway = await startGateway(options.file);
  const samples: Array<{ at_s: number; rss_mib: number }> = [];
  const started = performance.now();
  const sample = () => {
    const at_s = (performance.now() - started) / 1000;
    samples.push({ at_s, rss_mib: gateway.rssMib() });
    if (samples.length % 12 === 0) {
      options.log(
        `soak ${at_s.toFixed(0)} s: rss ${samples[samples.length - 1]!.rss_mib.toFixed(1)} MiB`,
      );
    }
  };
  const sampler = setInterval(sample, SOAK_RSS_SAMPLE_MS);
  try {
    await waitForJobsSettled(options.file);
    sample();
    const half = Math.max(1, Math.floor(options.connections / 2));
    const base = { base_url: gateway.base_url, api_keys: options.api_keys, connections: half };
    const [users_me, videos] = await Promise.all([
      runLoad({ ...base, endpoint: 'users_me', duration_s: options.seconds }),
      runLoad({ ...base, endpoint: 'videos', duration_s: options.seconds }),
    ]);
    sample();
    const rss = samples.map((s) => s.rss_mib);
    return {
      seconds: options.seconds,
      samples: samples.length,
      rss_first_mib: rss[0]!,
      rss_peak_mib: Math.max(...rss),
      rss_last_mib: rss[rss.length - 1]!,
      rss_slope_mib_per_min: slopePerMinute(samples.filter((s) => s.at_s >= SOAK_SLOPE_SKIP_S)),
      users_me,
      videos,
    };
  } finally {
    clearInterval(sampler);
    await gateway.stop();
  }
}

function slopePerMinute(points: Array<{ at_s: number; rss_mib: number }>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.at_s, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.rss_mib, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.at_s - meanX) * (p.rss_mib - meanY);
    den += (p.at_s - meanX) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60;
}

/** Waits until the worker has settled the jobs the database had in flight (bounded). */
async function waitForJobsSettled(file: string): Promise<void> {
  const reader = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const count = reader.prepare(
      `select count(*) as n from jobs where status in ('pending', 'processing')`,
    );
    const started = Date.now();
    while (Date.now() - started < SETTLE_WAIT_MS_MAX) {
      const { n } = count.get() as { n: number };
      if (n === 0) return;
      await new Promise((done) => setTimeout(done, 500));
    }
    throw new Error('the gateway did not settle the jobs in flight within 120 s');
  } finally {
    reader.close();
  }
}
