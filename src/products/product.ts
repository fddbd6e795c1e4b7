/**
 * What a product is: everything that differs between, say, a video and a lipsync, and nothing
 * else. A product gives its request's rules (`parse`), the facts every job stores (`facts`), its
 * pricing usage and hold estimate, and its engine call. Admission, the worker, settlement,
 * cancel, expiry, the concurrency limit and quotes are the lifecycle's (`src/jobs`) and work the
 * same for every product. Adding a product: docs/products.md.
 */
import type { Kysely } from 'kysely';
import type { TxContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import type { Prober, Renderer, RenderJob, RenderResult } from '../engines/engine.ts';
import type { JobKind } from '../jobs/lifecycle.ts';
import type { EstimateRule, JobUsage } from '../jobs/quote.ts';

export type Estimate = { duration_ms: bigint; rule: EstimateRule };

/** What every job row stores beside the product's own request. */
export type JobFacts = {
  title: string | null;
  callback_url: string | null;
  callback_id: string | null;
  /** A free test job: takes a slot, holds and charges nothing. */
  test: boolean;
  output_format: string;
  /** The group the job joins (an avatar look's avatar group); absent or null: none yet. */
  group_id?: string | null;
};

/** A job's move into one of its lifecycle's roles, for a product that tracks its jobs. */
export type JobEvent = { job_id: string; role: 'running' | 'completed' | 'failed' | 'cancelled' };

/**
 * What `parse` may read beside the request: the account's own resources a request names (its
 * trained avatar looks). Reads only; admission writes.
 */
export type RequestScope = { db: Kysely<DB>; account_id: string };

export type Product<Input, Spec> = {
  kind: JobKind;
  /** Prefix of job ids (`video_…`). */
  id_prefix: string;
  /** The resource in messages (`Video`, `Lipsync`) and the path parameter naming it. */
  noun: string;
  id_param: string;
  /**
   * Rules between fields a schema cannot state; throws `invalid_job_request` naming the param.
   * May read the account's resources the request names (`scope`).
   */
  parse: (input: Input, scope: RequestScope) => Spec | Promise<Spec>;
  facts: (input: Input, spec: Spec) => JobFacts;
  /** The pricing usage, without the output duration it is settled on. */
  usage: (spec: Spec) => JobUsage;
  /** An upper bound of the output duration (the lifecycle caps it at `job_duration_ms_max`). */
  estimate: (request: { input: Input; spec: Spec }, engine: Prober) => Estimate;
  /**
   * The call of a computed engine (the simulator) that renders an admitted job; a remote engine
   * routes a job by its kind instead (`engines/engine.ts`).
   */
  render: (engine: Renderer, job: RenderJob<Input>) => RenderResult;
  /**
   * A container job (a Video Agent session) takes the concurrency slot and holds nothing: its
   * child jobs (`parent_id`) hold and are charged, each on its own.
   */
  container?: boolean;
  /**
   * Runs in the transaction of every applied move of this product's job into a role (the worker
   * starting it, its end, expiry, cancel), so a parent can follow its children atomically.
   */
  onJobEvent?: (tx: TxContext, event: JobEvent) => Promise<void>;
  /** A bounded periodic step of the worker (e.g. closing idle sessions); returns jobs moved. */
  sweep?: (tx: TxContext, options: { limit: number }) => Promise<number>;
};

// biome-ignore lint/suspicious/noExplicitAny: the registry holds products of every input type.
export type AnyProduct = Product<any, any>;
