/**
 * The operator console's pages: accounts, rate cards, jobs in flight, revenue, margin,
 * OAuth clients, reconcile.
 */
import { useState } from 'react';
import { call } from '../api.ts';
import type { PageDef, PageProps } from '../app.tsx';
import { BarChart } from '../components/bar-chart.tsx';
import { Empty, ErrorText, Loading, Money, PageTitle, Time, useLoad } from '../components/ui.tsx';
import { AccountsPage } from './operator-accounts.tsx';
import { MarginPage } from './operator-margin.tsx';
import { OAuthClientsPage } from './operator-oauth-clients.tsx';
import { RateCardsPage } from './operator-rate-cards.tsx';

type InFlightJob = {
  id: string;
  account_id: string;
  product: string;
  status: string;
  hold_amount_micro_usd: number;
  created_at_ms: number;
};

function JobsPage({ session }: PageProps) {
  const jobs = useLoad(() =>
    call<{ data: InFlightJob[] }>('GET', '/admin/v1/jobs/in-flight?limit=100'),
  );
  return (
    <>
      <PageTitle>Jobs in flight</PageTitle>
      <button type="button" className="secondary" onClick={jobs.reload}>
        Refresh
      </button>
      <ErrorText error={jobs.error} />
      {jobs.loading ? (
        <Loading what="jobs" />
      ) : jobs.data === null || jobs.data.data.length === 0 ? (
        <Empty>No job is in flight.</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Admitted</th>
                <th scope="col">Job</th>
                <th scope="col">Account</th>
                <th scope="col">Product</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Held
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.data.map((job) => (
                <tr key={job.id}>
                  <td>
                    <Time at_ms={job.created_at_ms} time_zone={session.time_zone} />
                  </td>
                  <td className="mono">{job.id}</td>
                  <td className="mono">
                    <a href={`#/accounts?id=${encodeURIComponent(job.account_id)}`}>
                      {job.account_id}
                    </a>
                  </td>
                  <td>{job.product}</td>
                  <td>{job.status}</td>
                  <td className="num">
                    <Money micro={job.hold_amount_micro_usd} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

type RevenueDay = { day: string; product: string; charged_amount_micro_usd: number };

function RevenuePage() {
  const revenue = useLoad(() => call<{ data: RevenueDay[] }>('GET', '/admin/v1/reports/revenue'));
  return (
    <>
      <PageTitle>Revenue</PageTitle>
      <p className="hint">Charged amounts per product per UTC day, last 30 days.</p>
      <ErrorText error={revenue.error} />
      {revenue.loading ? (
        <Loading what="revenue" />
      ) : revenue.data === null || revenue.data.data.length === 0 ? (
        <Empty>No charges in the last 30 days.</Empty>
      ) : (
        <>
          <p>
            Total:{' '}
            <Money
              micro={revenue.data.data.reduce((sum, d) => sum + d.charged_amount_micro_usd, 0)}
            />
          </p>
          <BarChart rows={revenue.data.data} label="Revenue per product per day" />
        </>
      )}
    </>
  );
}

type ReconcileRun = {
  ok: boolean;
  accounts_checked: number;
  transfers_checked: number;
  finished_at_ms: number;
  report: { drifts: unknown[]; unbalanced_currencies: unknown[] };
};

function ReconcilePage({ session }: PageProps) {
  const last = useLoad(() =>
    call<{ data: ReconcileRun | null }>('GET', '/admin/v1/reconciles/last'),
  );
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      await call('POST', '/admin/v1/reconciles');
      last.reload();
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };
  const data = last.data?.data;
  return (
    <>
      <PageTitle>Reconcile</PageTitle>
      <p className="hint">
        Recomputes every balance from the transfer log and compares it with the stored balances.
      </p>
      <button type="button" onClick={run} disabled={running}>
        {running ? 'Reconciling…' : 'Run a reconcile now'}
      </button>
      <ErrorText error={error ?? last.error} />
      {last.loading ? (
        <Loading what="the last reconcile" />
      ) : data === null || data === undefined ? (
        <Empty>No reconcile has run from the console yet.</Empty>
      ) : (
        <dl className="quote" data-testid="reconcile">
          <dt>Result</dt>
          <dd className={data.ok ? 'ok' : 'bad'}>{data.ok ? 'OK: no drift' : 'Problems found'}</dd>
          <dt>Finished</dt>
          <dd>
            <Time at_ms={data.finished_at_ms} time_zone={session.time_zone} />
          </dd>
          <dt>Checked</dt>
          <dd>
            {data.accounts_checked} accounts, {data.transfers_checked} transfers
          </dd>
          <dt>Drifts</dt>
          <dd>{data.report.drifts.length}</dd>
        </dl>
      )}
    </>
  );
}

export const OPERATOR_PAGES: PageDef[] = [
  { path: '/accounts', title: 'Accounts', render: (props) => <AccountsPage {...props} /> },
  { path: '/rate-cards', title: 'Rate cards', render: (props) => <RateCardsPage {...props} /> },
  { path: '/jobs', title: 'Jobs in flight', render: (props) => <JobsPage {...props} /> },
  { path: '/revenue', title: 'Revenue', render: () => <RevenuePage /> },
  { path: '/margin', title: 'Margin', render: () => <MarginPage /> },
  { path: '/oauth-clients', title: 'OAuth clients', render: (p) => <OAuthClientsPage {...p} /> },
  { path: '/reconcile', title: 'Reconcile', render: (props) => <ReconcilePage {...props} /> },
];
