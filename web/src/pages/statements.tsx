/**
 * Statements of a usage-based (postpaid) account: one per month of the account's time zone,
 * newest first (`/billing/v1/statements`), a month's charges (`/billing/v1/statements/{period}`),
 * and each month as a JSON or CSV download. A prepaid (wallet) account has no statement: the
 * page says so and points to its transactions.
 */
import { call, type Page } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { Empty, ErrorText, Loading, Money, PageTitle, Time, useLoad } from '../components/ui.tsx';

type StatementSummary = {
  period: string;
  time_zone: string;
  status: 'open' | 'closed';
  start_ms: number;
  end_ms: number;
  charge_count: number;
  refund_count: number;
  total_micro_usd: number;
};

type Statement = StatementSummary & {
  /** Charges and refunds (a refund's amount is negative), in the order they were made. */
  charges: {
    type: 'charge' | 'refund';
    job_id: string;
    product: string | null;
    sku: string | null;
    duration_ms: number | null;
    charged_at_ms: number;
    amount_micro_usd: number;
    transfer_id: string;
  }[];
};

type Me = { data: { billing_type: 'wallet' | 'subscription' | 'usage_based' } };

function statementPath(period: string, format: 'json' | 'csv'): string {
  return `/billing/v1/statements/${encodeURIComponent(period)}?format=${format}`;
}

export function StatementsPage({ session, params }: PageProps) {
  const me = useLoad(() => call<Me>('GET', '/v3/users/me'));
  const list = useLoad(() =>
    call<Page<StatementSummary>>('GET', '/billing/v1/statements?limit=24'),
  );
  const selected = params.get('period');

  if (me.loading || list.loading) {
    return (
      <>
        <PageTitle>Statements</PageTitle>
        <Loading what="statements" />
      </>
    );
  }
  const statements = list.data?.data ?? [];
  const postpaid = me.data?.data.billing_type === 'usage_based';
  return (
    <>
      <PageTitle>Statements</PageTitle>
      <ErrorText error={me.error ?? list.error} />
      {statements.length === 0 ? (
        postpaid ? (
          <Empty>No statement yet: the first one opens with your first charge.</Empty>
        ) : (
          <Empty>
            Your account is prepaid: jobs are paid from your balance as they run, so there are no
            monthly statements. Every charge is in your <a href="#/transactions">transactions</a>,
            which you can export as CSV.
          </Empty>
        )
      ) : (
        <div className="table-scroll">
          <table data-testid="statements">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Charges
                </th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Download</th>
              </tr>
            </thead>
            <tbody>
              {statements.map((statement) => (
                <tr key={statement.period}>
                  <td>
                    <a href={`#/statements?period=${encodeURIComponent(statement.period)}`}>
                      {statement.period}
                    </a>
                  </td>
                  <td>{statement.status === 'open' ? 'open (this month)' : 'closed'}</td>
                  <td className="num">{statement.charge_count}</td>
                  <td className="num">
                    <Money micro={statement.total_micro_usd} />
                  </td>
                  <td>
                    <a href={statementPath(statement.period, 'csv')} download>
                      CSV<span className="visually-hidden"> of {statement.period}</span>
                    </a>{' '}
                    <a
                      href={statementPath(statement.period, 'json')}
                      download={`statement-${statement.period}.json`}
                    >
                      JSON<span className="visually-hidden"> of {statement.period}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected === null ? null : (
        <StatementDetail period={selected} time_zone={session.time_zone} />
      )}
    </>
  );
}

function StatementDetail({ period, time_zone }: { period: string; time_zone: string }) {
  const path = statementPath(period, 'json');
  const statement = useLoad(() => call<{ data: Statement }>('GET', path), [path]);
  const data = statement.data?.data;
  return (
    <section aria-labelledby="statement-title">
      <h2 id="statement-title">Statement {period}</h2>
      <ErrorText error={statement.error} />
      {statement.loading ? (
        <Loading what={`the statement of ${period}`} />
      ) : data === undefined ? null : data.charges.length === 0 ? (
        <Empty>No charge in {period}.</Empty>
      ) : (
        <>
          <p>
            From <Time at_ms={data.start_ms} time_zone={time_zone} /> to{' '}
            <Time at_ms={data.end_ms} time_zone={time_zone} /> ({data.time_zone}): total{' '}
            <Money micro={data.total_micro_usd} />.
          </p>
          <div className="table-scroll">
            <table data-testid="statement-charges">
              <thead>
                <tr>
                  <th scope="col">Charged</th>
                  <th scope="col">Job</th>
                  <th scope="col">Product</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.charges.map((charge) => (
                  <tr key={charge.transfer_id}>
                    <td>
                      <Time at_ms={charge.charged_at_ms} time_zone={time_zone} />
                    </td>
                    <td className="mono">{charge.job_id}</td>
                    <td>
                      {charge.type === 'refund' ? 'Refund: ' : ''}
                      {charge.sku ?? charge.product ?? '—'}
                    </td>
                    <td className="num">
                      {charge.duration_ms === null ? '—' : `${charge.duration_ms / 1000} s`}
                    </td>
                    <td className="num">
                      <Money micro={charge.amount_micro_usd} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
