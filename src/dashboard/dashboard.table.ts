/** Table types of the dashboard: browser sessions, account preferences, reconcile runs. */
import type { Selectable } from 'kysely';

export type DashboardSessionKind = 'customer' | 'operator';

export type DashboardSessionTable = {
  id: string;
  /** SHA-256 of the cookie's secret, hex. The secret itself is never stored. */
  token_hash: string;
  kind: DashboardSessionKind;
  /** The customer's account; null for an operator session. */
  account_id: string | null;
  /** The account user who signed in; null for an operator session. */
  user_id: string | null;
  created_at_ms: bigint;
  expires_at_ms: bigint;
};

export type AccountPreferenceTable = {
  account_id: string;
  /** An IANA time zone name, e.g. `Europe/Paris`. */
  time_zone: string;
  updated_at_ms: bigint;
};

export type ReconcileRunTable = {
  id: string;
  /** 1 when the reconcile found nothing wrong. */
  ok: bigint;
  accounts_checked: bigint;
  transfers_checked: bigint;
  /** The full report, as JSON (bigints as integers). */
  report_json: string;
  started_at_ms: bigint;
  finished_at_ms: bigint;
};

export type DashboardTables = {
  dashboard_sessions: DashboardSessionTable;
  account_preferences: AccountPreferenceTable;
  reconcile_runs: ReconcileRunTable;
};

export type DashboardSessionRow = Selectable<DashboardSessionTable>;
export type ReconcileRunRow = Selectable<ReconcileRunTable>;
