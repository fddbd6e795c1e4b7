/**
 * Table types of jobs (one product's asynchronous work and its money: hold, charge, failure) and
 * of idempotency records.
 */
import type { Selectable } from 'kysely';

export type JobTable = {
  id: string;
  account_id: string;
  /** The job's lifecycle and API resource (`JobKind`: `video`, `lipsync`, …). */
  kind: string;
  /** The pricing product, e.g. `avatar_video`, `cinematic_avatar`, `lipsync`. */
  product: string;
  /** In the kind's own vocabulary (`lifecycle.ts`), written only through `transitionJob`. */
  status: string;
  title: string | null;
  /** The validated request body, as JSON, for the engine. */
  request_json: string;
  /** The pricing usage without its duration, as JSON (bigints as integers). */
  usage_json: string;
  rate_card_version: string;
  /** The account's rate override the job was admitted under (and settles on); null if none. */
  rate_override_id: string | null;
  /** Which documented estimate rule sized the hold. */
  estimate_rule: string;
  hold_amount_micro_usd: bigint;
  charged_amount_micro_usd: bigint | null;
  duration_ms: bigint | null;
  output_format: string;
  callback_url: string | null;
  callback_id: string | null;
  /** 1 for `test: true` jobs, which are free and hold nothing. */
  test: bigint;
  engine: string;
  failure_code: string | null;
  failure_message: string | null;
  video_url: string | null;
  thumbnail_url: string | null;
  gif_url: string | null;
  captioned_video_url: string | null;
  subtitle_url: string | null;
  /** The group the job belongs to within its product (an avatar look's avatar group). */
  group_id: string | null;
  /** The rate card row the hold was priced on (and the job settles on). */
  sku: string | null;
  /** The estimate rule's output duration, which the hold prices. */
  estimated_duration_ms: bigint | null;
  created_at_ms: bigint;
  started_at_ms: bigint | null;
  /** When the engine's result is due (the simulator's latency). */
  ready_at_ms: bigint | null;
  completed_at_ms: bigint | null;
  hold_expires_at_ms: bigint | null;
  deleted_at_ms: bigint | null;
  /**
   * The job this job is part of (a Video Agent session's job, for each video it makes), or null.
   * A child job holds and is charged on its own but takes no concurrency slot: its parent has it.
   */
  parent_id: string | null;
  /** The pool the job's hold and charge are on (`BillingPool`), fixed at admission. */
  billing_pool: string;
  /** The API key that submitted the job, or null (OAuth, the CLI, jobs before pools). */
  api_key_id: string | null;
};

export type IdempotencyKeyTable = {
  /** Who and where: principal id, method and route with its path parameters. */
  scope: string;
  key: string;
  /** SHA-256 of the canonical request body. */
  request_hash: string;
  /** `in_flight` while the first request runs, then `done`. */
  state: string;
  response_status: bigint | null;
  response_body: string | null;
  created_at_ms: bigint;
  expires_at_ms: bigint;
  /** While in flight: the gateway node that claimed the key, and the token of that one claim. */
  owner_node_id: string | null;
  claim_id: string | null;
  /** While in flight: when a retry may take the key over (`idempotency_lease_ms` after the claim). */
  lease_expires_at_ms: bigint | null;
};

export type JobsTables = { jobs: JobTable; idempotency_keys: IdempotencyKeyTable };
export type JobRow = Selectable<JobTable>;
