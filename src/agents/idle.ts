/**
 * The idle close: a chat session that has waited for input for `agent_session_idle_ms` (its
 * `ready_at_ms`) ends, so an abandoned session does not keep a concurrency slot forever. It holds
 * no money while it waits (every video it made has been settled or voided), so closing it moves
 * none. Bounded per call; rows another node is closing are skipped.
 */
import type { TxContext } from '../context.ts';
import { lockRowsSkipLocked } from '../db/dialect.ts';
import { endSession } from './session-state.ts';

export const IDLE_FAILURE = {
  failure_code: 'session_idle',
  failure_message: 'The session waited for input too long and was closed; it was not charged.',
} as const;

/** Ends at most `limit` chat sessions idle past their deadline; returns how many. */
export async function closeIdleSessions(
  tx: TxContext,
  options: { limit: number },
): Promise<number> {
  const query = tx.db
    .selectFrom('jobs')
    .selectAll()
    .where('kind', '=', 'agent')
    .where('status', '=', 'waiting_for_input')
    .where('ready_at_ms', '<=', tx.clock.now_ms())
    .orderBy('ready_at_ms')
    .limit(options.limit);
  const sessions = await lockRowsSkipLocked(tx.dialect, query).execute();
  let closed = 0;
  for (const session of sessions) {
    const message = 'The session was closed after waiting for input too long.';
    if (await endSession(tx, session, { message, failure: IDLE_FAILURE })) closed++;
  }
  return closed;
}
