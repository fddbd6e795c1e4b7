/**
 * The console's accounts: search (id, username, email) or the newest accounts; an account's
 * detail with its balance, a grant or an adjustment with a reason, a job refund, its rate
 * override, its keys' spending limits, its web plan and users (`operator-account-billing.tsx`),
 * and its history.
 */
import { type FormEvent, useState } from 'react';
import {
  type Account,
  type Balance,
  call,
  newIdempotencyKey,
  type Page,
  type WalletEntry,
} from '../api.ts';
import type { PageProps } from '../app.tsx';
import {
  Empty,
  ErrorText,
  Loading,
  Money,
  Outcome,
  PageTitle,
  Time,
  useAction,
  useLoad,
} from '../components/ui.tsx';
import { normalizeUsdInput } from '../format.ts';
import {
  KeyLimitsSection,
  PlanAndUsersSection,
  RateOverrideSection,
} from './operator-account-billing.tsx';

export function AccountsPage({ params, session }: PageProps) {
  const selected = params.get('id');
  if (selected !== null)
    return <AccountDetail account_id={selected} time_zone={session.time_zone} />;
  return <AccountSearch />;
}

function AccountSearch() {
  const [query, setQuery] = useState('');
  const found = useLoad(
    () =>
      query === ''
        ? call<Page<Account>>('GET', '/admin/v1/accounts?limit=50')
        : call<{ data: Account[] }>(
            'GET',
            `/admin/v1/search/accounts?q=${encodeURIComponent(query)}`,
          ),
    [query],
  );
  return (
    <>
      <PageTitle>Accounts</PageTitle>
      <form
        aria-label="Search accounts"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(String(new FormData(e.currentTarget).get('q')).trim());
        }}
      >
        <label>
          Search by id, username or email
          <input name="q" type="search" defaultValue={query} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorText error={found.error} />
      {found.loading ? (
        <Loading what="accounts" />
      ) : found.data === null || found.data.data.length === 0 ? (
        <Empty>No account matches.</Empty>
      ) : (
        <ul className="list" data-testid="accounts">
          {found.data.data.map((account) => (
            <li key={account.id}>
              <a href={`#/accounts?id=${encodeURIComponent(account.id)}`}>{account.username}</a>{' '}
              <span className="mono">{account.id}</span> {account.email ?? ''}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function usdOf(form: FormData, name: string): string {
  const amount = normalizeUsdInput(String(form.get(name) ?? ''));
  if (amount === null) throw new Error('Enter an amount in dollars, such as 10 or 10.50.');
  return amount;
}

function AccountDetail({ account_id, time_zone }: { account_id: string; time_zone: string }) {
  const path = `/admin/v1/accounts/${encodeURIComponent(account_id)}`;
  const account = useLoad(() => call<{ data: Account & { wallet: Balance } }>('GET', path), [path]);
  const history = useLoad(() => call<Page<WalletEntry>>('GET', `${path}/ledger?limit=50`), [path]);
  const reload = () => {
    account.reload();
    history.reload();
  };
  const action = useAction(reload);

  const grant = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void action.run('Adjustment recorded.', () =>
      call('POST', `${path}/adjustments`, {
        idempotency_key: newIdempotencyKey(),
        body: {
          type: String(form.get('type')),
          amount_usd: usdOf(form, 'amount_usd'),
          memo: String(form.get('memo')).trim(),
        },
      }),
    );
  };
  const refund = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const amount = String(form.get('amount_usd')).trim();
    void action.run('Refund recorded.', () =>
      call(
        'POST',
        `/admin/v1/jobs/${encodeURIComponent(String(form.get('job_id')).trim())}/refunds`,
        {
          idempotency_key: newIdempotencyKey(),
          body: {
            memo: String(form.get('memo')).trim(),
            ...(amount === '' ? {} : { amount_usd: usdOf(form, 'amount_usd') }),
          },
        },
      ),
    );
  };

  const data = account.data?.data;
  return (
    <>
      <PageTitle>{data === undefined ? 'Account' : `Account ${data.username}`}</PageTitle>
      <p>
        <a href="#/accounts">← All accounts</a>
      </p>
      <ErrorText error={account.error} />
      {account.loading && data === undefined ? <Loading what="the account" /> : null}
      {data === undefined ? null : (
        <dl className="cards" data-testid="operator-balance">
          <div className="card">
            <dt>Available</dt>
            <dd>
              <Money micro={data.wallet.available_micro_usd} />
            </dd>
          </div>
          <div className="card">
            <dt>Held</dt>
            <dd>
              <Money micro={data.wallet.held_micro_usd} />
            </dd>
          </div>
          <div className="card">
            <dt>Settled</dt>
            <dd>
              <Money micro={data.wallet.settled_micro_usd} />
            </dd>
          </div>
          <div className="card">
            <dt>Id</dt>
            <dd className="mono small">{data.id}</dd>
          </div>
        </dl>
      )}
      <Outcome action={action} />
      <div className="columns">
        <form onSubmit={grant} aria-labelledby="adjust-title">
          <h2 id="adjust-title">Grant or adjust</h2>
          <label>
            Type
            <select name="type" defaultValue="credit">
              <option value="credit">Credit (a grant)</option>
              <option value="debit">Debit</option>
            </select>
          </label>
          <label>
            Amount (USD)
            <input name="amount_usd" inputMode="decimal" required />
          </label>
          <label>
            Reason
            <input name="memo" required maxLength={500} />
          </label>
          <button type="submit">Record adjustment</button>
        </form>
        <form onSubmit={refund} aria-labelledby="refund-title" data-testid="refund-form">
          <h2 id="refund-title">Refund a job</h2>
          <label>
            Job id
            <input name="job_id" required />
          </label>
          <label>
            Amount (USD, empty for the whole charge)
            <input name="amount_usd" inputMode="decimal" />
          </label>
          <label>
            Reason
            <input name="memo" required maxLength={500} />
          </label>
          <button type="submit">Refund</button>
        </form>
      </div>
      <RateOverrideSection account_id={account_id} time_zone={time_zone} />
      <KeyLimitsSection account_id={account_id} time_zone={time_zone} />
      <PlanAndUsersSection account_id={account_id} time_zone={time_zone} />
      <h2>History</h2>
      <ErrorText error={history.error} />
      {history.data === null ? (
        <Loading what="history" />
      ) : history.data.data.length === 0 ? (
        <Empty>No transactions yet.</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Reference</th>
                <th scope="col">Memo</th>
              </tr>
            </thead>
            <tbody>
              {history.data.data.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <Time at_ms={entry.created_at_ms} time_zone={time_zone} />
                  </td>
                  <td>{entry.kind.replace('_', ' ')}</td>
                  <td className="num">
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
    </>
  );
}
