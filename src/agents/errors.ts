/** Codes of the Video Agent domain and the one constructor that raises them. */
import { DomainError } from '../shared/errors.ts';

export type AgentErrorCode =
  /** A message to a session created in generate mode. */
  | 'agent_session_not_chat'
  /** A message while the agent is working (not `waiting_for_input`). */
  | 'agent_session_busy'
  /** A message to, or a stop of, a session that has ended. */
  | 'agent_session_ended'
  /** A message asking for a video beyond the session's maximum. */
  | 'agent_video_limit_reached';

export function agentError(code: AgentErrorCode, message: string, param: string | null) {
  return new DomainError<AgentErrorCode>(code, message, { param });
}
