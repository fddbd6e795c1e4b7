/**
 * The wallet's history (`GET /billing/v1/ledger`): grants, holds, settlements, releases,
 * refunds, … newest first, with filters (kind, date range), pages ("Load more") and a CSV export
 * of everything the filters keep (read page by page, up to `EXPORT_ROWS_MAX`).
 */
import { useCallback, useEffect, useState } from 'react';
import { call, type Page, type WalletEntry } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { Empty, ErrorText, Loading, Money, PageTitle, Time } from '../components/ui.tsx';

const PAGE_SIZE = 50;
const EXPORT_ROWS_MAX = 20_000;
const KINDS = [
  'grant',
  'hold',
  'settlement',
  'release',
  'refund',
  'write_off',
  'expiry',
  'revocation',
  'debit',
];

type Filters = { kind: string; from: string; to: string };

function keeps(filters: Filters, entry: WalletEntry): boolean {
  if (filters.kind !== '' && entry.kind !== filters.kind) return false;
  if (filters.from !== '' && entry.created_at < filters.from) return false;
  if (filters.to !== '' && entry.created_at.slice(0, 10) > filters.to) return false;
  return true;
}

/** True once the pages read go past the start of the date range (newest first). */
function pastRange(filters: Filters, entries: WalletEntry[]): boolean {
  const last = entries.at(-1);
  return filters.from !== '' && last !== undefined && last.created_at < filters.from;
}

async function readPage(token: string | null): Promise<Page<WalletEntry>> {
  const query = `limit=${PAGE_SIZE}${token === null ? '' : `&token=${encodeURIComponent(token)}`}`;
  return call<Page<WalletEntry>>('GET', `/billing/v1/ledger?${query}`);
}

const CSV_COLUMNS = [
  'id',
  'created_at',
  'kind',
  'direction',
  'amount_usd',
  'amount_micro_usd',
  'hold_status',
  'product',
  'reference',
  'memo',
  'operator',
] as const;

function csvOf(entries: WalletEntry[]): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = entries.map((entry) => CSV_COLUMNS.map((column) => cell(entry[column])).join(','));
  return `${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}

export function TransactionsPage({ session }: PageProps) {
  const [filters, setFilters] = useState<Filters>({ kind: '', from: '', to: '' });
  const [entries, setEntries] = useState<WalletEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (token: string | null) => {
    setLoading(true);
    try {
      const page = await readPage(token);
      setEntries((current) => (token === null ? page.data : [...current, ...page.data]));
      setNext(page.has_more ? page.next_token : null);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(null);
  }, [load]);

  const exportCsv = async () => {
    setExporting(true);
    setError(null);
    try {
      const kept: WalletEntry[] = [];
      let token: string | null = null;
      let read = 0;
      do {
        const page: Page<WalletEntry> = await readPage(token);
        read += page.data.length;
        kept.push(...page.data.filter((entry) => keeps(filters, entry)));
        token = page.has_more && !pastRange(filters, page.data) ? page.next_token : null;
      } while (token !== null && read < EXPORT_ROWS_MAX);
      const url = URL.createObjectURL(new Blob([csvOf(kept)], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `tollgate-transactions-${new Date().toISOString().slice(0, 10)}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    } catch (err) {
      setError(err);
    } finally {
      setExporting(false);
    }
  };

  const shown = entries.filter((entry) => keeps(filters, entry));
  return (
    <>
      <PageTitle>Transactions</PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Kind
          <select
            value={filters.kind}
            onChange={(e) => setFilters({ ...filters, kind: e.target.value })}
          >
            <option value="">All</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input
            type="date"
            value={filters.from}
            onChange={(e) => setFilters({ ...filters, from: e.target.value })}
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.target.value })}
          />
        </label>
        <button type="button" onClick={exportCsv} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </form>
      <ErrorText error={error} />
      {shown.length === 0 && !loading ? (
        <Empty>No transactions{filters.kind === '' ? '' : ` of kind ${filters.kind}`} yet.</Empty>
      ) : (
        <div className="table-scroll">
          <table data-testid="transactions">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Job or grant</th>
                <th scope="col">Memo</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <Time at_ms={entry.created_at_ms} time_zone={session.time_zone} />
                  </td>
                  <td>
                    {entry.kind.replace('_', ' ')}
                    {entry.hold_status === null ? '' : ` (${entry.hold_status})`}
                  </td>
                  <td className={`num ${entry.direction}`}>
                    {entry.direction === 'debit' && entry.kind !== 'hold' ? '−' : ''}
                    <Money micro={entry.amount_micro_usd} />
                  </td>
                  <td className="mono">{entry.reference ?? ''}</td>
                  <td>{entry.memo ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loading ? <Loading what="transactions" /> : null}
      {next !== null && !loading ? (
        <button type="button" className="secondary" onClick={() => void load(next)}>
          Load more
        </button>
      ) : null}
      <p className="hint">
        {shown.length} rows shown. Amounts are exact; hover one for its micro-dollar value.
      </p>
    </>
  );
}
