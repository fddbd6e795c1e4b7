/**
 * The `jobs` table as `db/row-writes.ts` writes it: every column with its PostgreSQL type, so a
 * batch of admissions inserts its job rows in one statement per chunk (SQLite) or one statement
 * (PostgreSQL). The column list is checked against `JobRow` by the compiler.
 */
import type { TxContext } from '../../context.ts';
import { insertRows, type RowTable } from '../../db/row-writes.ts';
import type { JobRow } from '../jobs.table.ts';

const JOBS: RowTable<JobRow> = {
  name: 'jobs',
  columns: {
    id: 'text',
    account_id: 'text',
    kind: 'text',
    product: 'text',
    status: 'text',
    title: 'text',
    request_json: 'text',
    usage_json: 'text',
    rate_card_version: 'text',
    rate_override_id: 'text',
    estimate_rule: 'text',
    hold_amount_micro_usd: 'int8',
    charged_amount_micro_usd: 'int8',
    duration_ms: 'int8',
    output_format: 'text',
    callback_url: 'text',
    callback_id: 'text',
    test: 'int8',
    engine: 'text',
    failure_code: 'text',
    failure_message: 'text',
    video_url: 'text',
    thumbnail_url: 'text',
    gif_url: 'text',
    captioned_video_url: 'text',
    subtitle_url: 'text',
    group_id: 'text',
    sku: 'text',
    estimated_duration_ms: 'int8',
    created_at_ms: 'int8',
    started_at_ms: 'int8',
    ready_at_ms: 'int8',
    completed_at_ms: 'int8',
    hold_expires_at_ms: 'int8',
    deleted_at_ms: 'int8',
    parent_id: 'text',
    billing_pool: 'text',
    api_key_id: 'text',
  },
};

/** Inserts admitted jobs' rows (new ids) in as few statements as `row-writes.ts` allows. */
export function insertJobRows(tx: TxContext, rows: readonly JobRow[]): Promise<void> {
  return insertRows(tx.db, tx.dialect, JOBS, rows);
}
