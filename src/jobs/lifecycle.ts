/**
 * The one job lifecycle. Every asynchronous product's job (a video render, a lipsync, a
 * translation, an agent session, an avatar training) moves through the same five roles —
 * admitted, running, completed, failed, cancelled — each named in the product's own status
 * vocabulary (HeyGen's, API.md), with a transition table per kind. This module owns every write
 * of `jobs.status`: `transitionJob` asserts that the transition is in the table and writes it
 * only if the job is still in `from` (`where status = from`), so of two racing writers exactly
 * one applies and the other learns it lost. Roles, not names, drive admission, the worker,
 * settlement, cancel and expiry, so they work unchanged for every kind.
 */
import type { Updateable } from 'kysely';
import type { TxContext } from '../context.ts';
import { whereIdIn } from '../db/dialect.ts';
import { assert } from '../shared/assert.ts';
import type { JobTable } from './jobs.table.ts';

type Lifecycle<Status extends string> = {
  /** The status of a job that admission wrote (slot, hold and row taken). */
  admitted: Status;
  /** The status the worker gives a job it hands to the engine. */
  running: Status;
  completed: Status;
  failed: Status;
  /** Deleted or stopped before it ended; never charged. */
  cancelled: Status;
  /** Legal next statuses of each status; a status with none is final. */
  transitions: Record<Status, readonly Status[]>;
  /**
   * False for a kind the worker neither claims nor finishes: its jobs are moved by their child
   * jobs (a Video Agent session by the videos it makes, `src/agents/`). True by default.
   */
  worker?: boolean;
  /**
   * Run within the request that admitted it (Text-to-Speech): no worker claims it and it takes
   * no concurrency slot; its in-flight status is its kind's alone.
   */
  synchronous?: true;
};

function lifecycle<const Status extends string>(definition: Lifecycle<Status>) {
  return Object.freeze(definition);
}

type Queued<Running extends string> = 'pending' | Running | 'completed' | 'failed' | 'cancelled';

/** A lifecycle whose statuses are HeyGen's `pending → <running> → completed | failed`. */
function queued<const Running extends string>(running: Running): Lifecycle<Queued<Running>> {
  const transitions = {
    // pending → failed: the hold expired before the worker started the job.
    pending: [running, 'failed', 'cancelled'],
    [running]: ['completed', 'failed', 'cancelled'],
    completed: [],
    failed: [],
    cancelled: [],
  } as Record<Queued<Running>, readonly Queued<Running>[]>;
  return lifecycle({
    admitted: 'pending',
    running,
    completed: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
    transitions,
  });
}

/** Every job kind's lifecycle. A new asynchronous product adds its kind here. */
export const LIFECYCLES = {
  /** HeyGen's VideoDetail statuses (API.md §3.3). */
  video: queued('processing'),
  /** HeyGen's lipsync statuses (API.md §7). */
  lipsync: queued('running'),
  /** HeyGen's video translation statuses (API.md §6.2). */
  translation: queued('running'),
  /** HeyGen's proofread statuses (API.md §6.3): `pending` is shown as `processing`. */
  proofread: queued('processing'),
  /** HeyGen's avatar training statuses (API.md §9); `pending` is shown as `processing`. */
  avatar_training: queued('processing'),
  /**
   * HeyGen's Video Agent session statuses (API.md §5.2). A session is moved by its videos (each
   * a job of kind `agent_video`), by the customer's messages and stop, and by the idle close
   * (docs/products.md): a chat session goes back to `waiting_for_input` after each video, and
   * stopping or closing ends a session from any status in flight.
   */
  agent: lifecycle({
    admitted: 'thinking',
    running: 'generating',
    completed: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
    transitions: {
      thinking: [
        'generating',
        'waiting_for_input',
        'reviewing',
        'completed',
        'failed',
        'cancelled',
      ],
      waiting_for_input: ['thinking', 'completed', 'failed', 'cancelled'],
      reviewing: ['generating', 'thinking', 'completed', 'failed', 'cancelled'],
      generating: ['completed', 'waiting_for_input', 'failed', 'cancelled'],
      completed: [],
      failed: [],
      cancelled: [],
    },
    worker: false,
  }),
  /** A video a Video Agent session makes: HeyGen's VideoDetail statuses (API.md §5.2). */
  agent_video: queued('processing'),
  /** Text-to-Speech (API.md §8): synchronous, so its statuses are internal, never shown. */
  speech: lifecycle({
    admitted: 'synthesizing',
    running: 'synthesizing',
    completed: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
    transitions: {
      synthesizing: ['completed', 'failed'],
      completed: [],
      failed: [],
      cancelled: [],
    },
    synchronous: true,
  }),
} as const;

export type JobKind = keyof typeof LIFECYCLES;
/** The statuses of `Kind` (of every kind by default). */
export type JobStatus<Kind extends JobKind = JobKind> =
  keyof (typeof LIFECYCLES)[Kind]['transitions'] & string;

export const JOB_KINDS = Object.keys(LIFECYCLES) as JobKind[];

/** The lifecycle of a stored kind; an unknown kind is a broken invariant. */
export function lifecycleOf(kind: string): Lifecycle<JobStatus> {
  assert(Object.hasOwn(LIFECYCLES, kind), `job kind ${kind} has a lifecycle`);
  return LIFECYCLES[kind as JobKind] as Lifecycle<JobStatus>;
}

/** A stored job's kind and status, typed; a status outside its kind's table is a broken invariant. */
export function jobState(job: { id: string; kind: string; status: string }): {
  kind: JobKind;
  status: JobStatus;
} {
  const transitions = lifecycleOf(job.kind).transitions;
  assert(
    Object.hasOwn(transitions, job.status),
    `job ${job.id}: status ${job.status} is of its kind`,
  );
  return { kind: job.kind as JobKind, status: job.status as JobStatus };
}

/** Whether `status` holds a slot (and, unless a test, a hold): neither final nor unknown. */
export function isInFlight(kind: string, status: string): boolean {
  const transitions: Record<string, readonly string[]> = lifecycleOf(kind).transitions;
  assert(Object.hasOwn(transitions, status), `job status ${status} belongs to kind ${kind}`);
  return transitions[status]!.length > 0;
}

function statusesWhere(
  keep: (life: Lifecycle<JobStatus>, status: JobStatus) => boolean,
  kinds: readonly JobKind[] = JOB_KINDS,
) {
  const statuses = new Set<JobStatus>();
  for (const kind of kinds) {
    const life = lifecycleOf(kind);
    for (const status of Object.keys(life.transitions) as JobStatus[]) {
      if (keep(life, status)) statuses.add(status);
    }
  }
  return [...statuses];
}

/** Whether jobs of `kind` run within their request (no worker, no concurrency slot). */
export function isSynchronous(kind: string): boolean {
  return lifecycleOf(kind).synchronous === true;
}

/** The kinds the worker runs; a synchronous kind's status names belong to it alone. */
const ASYNCHRONOUS_KINDS = JOB_KINDS.filter((kind) => !isSynchronous(kind));
const inFlight = (life: Lifecycle<JobStatus>, status: JobStatus) =>
  life.transitions[status]!.length > 0;

/** Every kind's in-flight statuses: what the expiry sweep fails when a hold expires. */
export const IN_FLIGHT_STATUSES = statusesWhere(inFlight);
/** Every asynchronous kind's in-flight statuses: what the shared concurrency limit counts. */
export const SLOT_STATUSES = statusesWhere(inFlight, ASYNCHRONOUS_KINDS);
/** Every worker-moved kind's `admitted` status: what the worker claims. */
export const ADMITTED_STATUSES = statusesWhere(
  (life, status) => life.worker !== false && life.admitted === status,
  ASYNCHRONOUS_KINDS,
);
/** Every worker-moved kind's `running` status: what the worker finishes when it is due. */
export const RUNNING_STATUSES = statusesWhere(
  (life, status) => life.worker !== false && life.running === status,
  ASYNCHRONOUS_KINDS,
);

/** Whether `kind` may move from `from` to `to`. */
export function isLegalTransition(kind: string, from: string, to: string): boolean {
  const transitions: Record<string, readonly string[]> = lifecycleOf(kind).transitions;
  return Object.hasOwn(transitions, from) && transitions[from]!.includes(to);
}

/** Columns a transition may write beside the status. */
export type JobUpdate = Omit<Updateable<JobTable>, 'id' | 'kind' | 'account_id' | 'status'>;

export type Transition<Kind extends JobKind = JobKind> = {
  kind: Kind;
  job_id: string;
  from: JobStatus<Kind>;
  to: JobStatus<Kind>;
  set?: JobUpdate;
};

/**
 * Moves one job from `from` to `to` (writing `set` with it) if it is still in `from`. Returns
 * whether it applied: false means another writer moved the job first, and the caller must not
 * act on the move (no money moves on a transition that did not apply). An illegal transition is
 * a broken invariant and throws.
 */
export async function transitionJob<Kind extends JobKind>(
  tx: TxContext,
  transition: Transition<Kind>,
): Promise<boolean> {
  const { kind, job_id, from, to } = transition;
  assert(isLegalTransition(kind, from, to), `job ${job_id} (${kind}): ${from} → ${to} is legal`);
  const result = await tx.db
    .updateTable('jobs')
    .set({ ...transition.set, status: to })
    .where('id', '=', job_id)
    .where('kind', '=', kind)
    .where('status', '=', from)
    .executeTakeFirst();
  const updated = result.numUpdatedRows;
  assert(updated <= 1n, `job ${job_id}: a transition writes at most one row`);
  return updated === 1n;
}

/**
 * `transitionJob` for several jobs of one kind at once, in one statement: moves each of `job_ids`
 * still in `from` to `to` (writing `set` with it) and returns the ids it moved, in no order; an
 * id missing from the result was moved by another writer first.
 */
export async function transitionJobs<Kind extends JobKind>(
  tx: TxContext,
  transition: Omit<Transition<Kind>, 'job_id'> & { job_ids: readonly string[] },
): Promise<string[]> {
  const { kind, job_ids, from, to } = transition;
  assert(isLegalTransition(kind, from, to), `jobs (${kind}): ${from} → ${to} is legal`);
  if (job_ids.length === 0) return [];
  const rows = await tx.db
    .updateTable('jobs')
    .set({ ...transition.set, status: to })
    .where(whereIdIn(tx.dialect, 'id', job_ids))
    .where('kind', '=', kind)
    .where('status', '=', from)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}
