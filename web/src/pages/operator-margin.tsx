/**
 * The console's margin report (`/admin/v1/reports/margin`, resale only): per UTC day and product
 * over the last 30 days, what customers were charged for jobs a remote engine rendered, what the
 * upstream charged, and the margin, with totals and the report as CSV.
 */
import { call } from '../api.ts';
import { Empty, ErrorText, Loading, Money, PageTitle, useLoad } from '../components/ui.tsx';

type MarginRow = {
  day: string;
  product: string;
  job_count: number;
  costed_job_count: number;
  charged_amount_micro_usd: number;
  upstream_cost_micro_usd: number;
  margin_micro_usd: number;
};

const DAYS = 30;
const DAY_MS = 86_400_000;

/** The account-level rows summed per day and product, newest day first. */
function byDayAndProduct(rows: MarginRow[]): MarginRow[] {
  const sums = new Map<string, MarginRow>();
  for (const row of rows) {
    const key = `${row.day} ${row.product}`;
    const sum = sums.get(key);
    if (sum === undefined) {
      sums.set(key, { ...row });
      continue;
    }
    sum.job_count += row.job_count;
    sum.costed_job_count += row.costed_job_count;
    sum.charged_amount_micro_usd += row.charged_amount_micro_usd;
    sum.upstream_cost_micro_usd += row.upstream_cost_micro_usd;
    sum.margin_micro_usd += row.margin_micro_usd;
  }
  return [...sums.values()].sort(
    (a, b) => b.day.localeCompare(a.day) || a.product.localeCompare(b.product),
  );
}

export function MarginPage() {
  const from = new Date(Date.now() - DAYS * DAY_MS).toISOString().slice(0, 10);
  const path = `/admin/v1/reports/margin?from=${from}`;
  const report = useLoad(() => call<{ data: MarginRow[] }>('GET', path), [path]);
  const rows = byDayAndProduct(report.data?.data ?? []);
  const total = (pick: (row: MarginRow) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  return (
    <>
      <PageTitle>Margin</PageTitle>
      <p className="hint">
        Jobs rendered by a remote engine (resale) since {from}, per UTC day and product: what
        customers were charged, what the upstream charged, and the difference. Jobs rendered by the
        simulator have no upstream cost and are not here; see Revenue.
      </p>
      <p>
        <a href={`${path}&format=csv`} download={`margin-${from}.csv`}>
          Download as CSV
        </a>
      </p>
      <ErrorText error={report.error} />
      {report.loading ? (
        <Loading what="the margin report" />
      ) : rows.length === 0 ? (
        <Empty>No resold job in the last {DAYS} days.</Empty>
      ) : (
        <div className="table-scroll">
          <table data-testid="margin">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Product</th>
                <th scope="col" className="num">
                  Jobs
                </th>
                <th scope="col" className="num">
                  Charged
                </th>
                <th scope="col" className="num">
                  Upstream cost
                </th>
                <th scope="col" className="num">
                  Margin
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.day} ${row.product}`}>
                  <td>{row.day}</td>
                  <td>{row.product}</td>
                  <td className="num">
                    {row.job_count}
                    {row.costed_job_count === row.job_count
                      ? ''
                      : ` (${row.costed_job_count} costed)`}
                  </td>
                  <td className="num">
                    <Money micro={row.charged_amount_micro_usd} />
                  </td>
                  <td className="num">
                    <Money micro={row.upstream_cost_micro_usd} />
                  </td>
                  <td className={`num ${row.margin_micro_usd < 0 ? 'bad' : ''}`}>
                    <Money micro={row.margin_micro_usd} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Total
                </th>
                <td className="num">{total((row) => row.job_count)}</td>
                <td className="num">
                  <Money micro={total((row) => row.charged_amount_micro_usd)} />
                </td>
                <td className="num">
                  <Money micro={total((row) => row.upstream_cost_micro_usd)} />
                </td>
                <td className="num">
                  <Money micro={total((row) => row.margin_micro_usd)} />
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}
