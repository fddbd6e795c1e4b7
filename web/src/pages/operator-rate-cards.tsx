/**
 * The console's rate cards: every version (the one in effect marked), a version's rows, and a new
 * version made by editing the rates of the one in effect (`POST /admin/v1/rate-cards`, effective
 * now or at a later time). A stored version is never changed: a new rate is a new version.
 */
import { type FormEvent, useState } from 'react';
import { call, newIdempotencyKey } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { Empty, ErrorText, Loading, Money, PageTitle, Time, useLoad } from '../components/ui.tsx';
import { normalizeUsdInput } from '../format.ts';

export type CardRow = {
  sku: string;
  unit: string;
  rate_usd: string | null;
  rate_micro_usd: number | null;
  increment_ms: number | null;
  minimum_ms: number | null;
  enterprise_only: boolean;
  existing_customers_only: boolean;
};

export type RateCardVersion = {
  version: string;
  status: string;
  active: boolean;
  effective_at_ms: number;
  built_in: boolean;
  rows: CardRow[];
};

/** The version in effect now, from the console's list. */
export function useActiveRateCard() {
  const cards = useLoad(() =>
    call<{ data: RateCardVersion[] }>('GET', '/admin/v1/rate-cards?limit=100'),
  );
  return { cards, active: cards.data?.data.find((card) => card.active) ?? null };
}

/** The rows of a new version: each row of `base` with the rate typed in the form (blank: not offered). */
function rowsFrom(base: RateCardVersion, form: FormData) {
  return base.rows.map((row) => {
    const typed = String(form.get(`rate:${row.sku}`) ?? '').trim();
    const rate_usd = typed === '' ? null : normalizeUsdInput(typed);
    if (typed !== '' && rate_usd === null) {
      throw new Error(`The rate of ${row.sku} is not an amount in dollars, such as 0.0333.`);
    }
    return {
      sku: row.sku,
      unit: row.unit,
      rate_usd,
      increment_ms: row.increment_ms,
      minimum_ms: row.minimum_ms,
      enterprise_only: row.enterprise_only,
      existing_customers_only: row.existing_customers_only,
    };
  });
}

export function RateCardsPage({ session }: PageProps) {
  const { cards, active } = useActiveRateCard();
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (active === null) return;
    const form = new FormData(event.currentTarget);
    setError(null);
    setNotice(null);
    try {
      const effective = String(form.get('effective_at') ?? '').trim();
      const { data } = await call<{ data: RateCardVersion }>('POST', '/admin/v1/rate-cards', {
        idempotency_key: newIdempotencyKey(),
        body: {
          version: String(form.get('version')).trim(),
          ...(effective === '' ? {} : { effective_at: new Date(effective).toISOString() }),
          rows: rowsFrom(active, form),
        },
      });
      setNotice(`Version ${data.version} stored (${data.status}).`);
      cards.reload();
    } catch (err) {
      setError(err);
    }
  };

  const list = cards.data?.data ?? [];
  const detail = list.find((card) => card.version === shown);
  return (
    <>
      <PageTitle>Rate cards</PageTitle>
      <p className="hint">
        A version is never edited: new rates are a new version, in effect from the time you choose.
        Per-account overrides are on each account's page.
      </p>
      <ErrorText error={cards.error} />
      {cards.loading && cards.data === null ? (
        <Loading what="rate cards" />
      ) : list.length === 0 ? (
        <Empty>No rate card.</Empty>
      ) : (
        <div className="table-scroll">
          <table data-testid="rate-card-versions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Effective</th>
                <th scope="col" className="num">
                  Rows
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((card) => (
                <tr key={card.version}>
                  <td className="mono">
                    <button type="button" className="link" onClick={() => setShown(card.version)}>
                      {card.version}
                    </button>
                    {card.built_in ? ' (built in)' : ''}
                  </td>
                  <td>{card.status}</td>
                  <td>
                    <Time at_ms={card.effective_at_ms} time_zone={session.time_zone} />
                  </td>
                  <td className="num">{card.rows.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {detail === undefined ? null : (
        <section aria-labelledby="card-rows-title">
          <h2 id="card-rows-title">Rows of {detail.version}</h2>
          <RowsTable rows={detail.rows} />
        </section>
      )}
      {active === null ? null : (
        <form onSubmit={create} aria-labelledby="new-version-title" data-testid="new-version">
          <h2 id="new-version-title">New version from {active.version}</h2>
          <label>
            Version name
            <input name="version" required maxLength={64} placeholder="2026-12-01" />
          </label>
          <label>
            In effect from (empty: now)
            <input name="effective_at" type="datetime-local" />
          </label>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col">Per</th>
                  <th scope="col">Rate (USD; empty: not offered)</th>
                </tr>
              </thead>
              <tbody>
                {active.rows.map((row) => (
                  <tr key={row.sku}>
                    <td className="mono">{row.sku}</td>
                    <td>{row.unit}</td>
                    <td>
                      <input
                        name={`rate:${row.sku}`}
                        aria-label={`Rate of ${row.sku}`}
                        inputMode="decimal"
                        defaultValue={row.rate_usd ?? ''}
                        size={10}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="submit">Store the new version</button>
        </form>
      )}
      {notice === null ? null : (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <ErrorText error={error} />
    </>
  );
}

export function RowsTable({ rows }: { rows: CardRow[] }) {
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col" className="num">
              Rate
            </th>
            <th scope="col">Per</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.sku}>
              <td className="mono">{row.sku}</td>
              <td className="num">
                <Money micro={row.rate_micro_usd} />
              </td>
              <td>{row.unit}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
