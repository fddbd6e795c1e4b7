/** Table type of the jobs handed to remote engines (`engine-jobs.ts`). */
import type { Selectable } from 'kysely';

export type EngineJobTable = {
  job_id: string;
  /** The engine's name (`http`, `heygen`), as in `jobs.engine`. */
  engine: string;
  /** The engine's own id of the job: the upstream's `video_id`, a render worker's job id. */
  upstream_id: string | null;
  /** The last progress the engine reported, 0–100; never goes down. */
  progress: bigint | null;
  /** When the engine accepted the job; null until it did. */
  started_at_ms: bigint | null;
  /** When the engine last spoke of the job (acceptance, progress, heartbeat, a poll's answer). */
  last_heard_at_ms: bigint | null;
  /** Failed hand-overs (before `started_at_ms`) or failed polls in a row (after). */
  failures: bigint;
  /** The upstream's last status of the job, as it names it. */
  upstream_status: string | null;
  /** What the upstream charged for the job (resale), in micro-USD; null when unknown. */
  upstream_cost_micro_usd: bigint | null;
  created_at_ms: bigint;
  updated_at_ms: bigint;
};

export type EngineTables = { engine_jobs: EngineJobTable };
export type EngineJobRow = Selectable<EngineJobTable>;
