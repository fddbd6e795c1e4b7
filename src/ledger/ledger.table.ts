/** Table types of the ledger. Every integer column is int8 and arrives as a `bigint`. */
import type { Selectable } from 'kysely';

export type LedgerAccountTable = {
  id: string;
  currency: string;
  code: bigint;
  flags: bigint;
  owner_id: string | null;
  debits_pending: bigint;
  debits_posted: bigint;
  credits_pending: bigint;
  credits_posted: bigint;
  created_at_ms: bigint;
};

export type LedgerTransferTable = {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: bigint;
  pending_id: string | null;
  flags: bigint;
  timeout_ms: bigint;
  code: bigint;
  reference: string | null;
  currency: string;
  created_at_ms: bigint;
};

export type LedgerPendingTable = {
  transfer_id: string;
  status: string;
  expires_at_ms: bigint | null;
  resolved_by_id: string | null;
  resolved_at_ms: bigint | null;
};

export type LedgerTables = {
  ledger_accounts: LedgerAccountTable;
  ledger_transfers: LedgerTransferTable;
  ledger_pending: LedgerPendingTable;
};

export type AccountRow = Selectable<LedgerAccountTable>;
export type TransferRow = Selectable<LedgerTransferTable>;
export type PendingRow = Selectable<LedgerPendingTable>;
