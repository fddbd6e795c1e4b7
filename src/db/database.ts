/** The database type: every table of every domain, each declared in its `*.table.ts`. */
import type { LedgerTables } from '../ledger/ledger.table.ts';

export type DB = LedgerTables;
