/**
 * Sections of the console's account page about what the account pays and who uses it: its rate
 * override (set a SKU's negotiated rate as a new override version, or remove the override), its
 * API keys with their spending limits (set or remove, `/admin/v1/api-keys/{id}/spending-limit`),
 * its web plan and credits, and its users. Each section loads on its own and shows its own
 * errors in words.
 */
import type { FormEvent } from 'react';
import { type ApiKey, call } from '../api.ts';
import { Empty, ErrorText, Loading, Outcome, Time, useAction, useLoad } from '../components/ui.tsx';
import { normalizeUsdInput } from '../format.ts';
import { SpendingLimitText } from './api-keys.tsx';
import { type CardRow, RowsTable, useActiveRateCard } from './operator-rate-cards.tsx';

type Override = {
  id: string;
  version: number;
  active: boolean;
  memo: string | null;
  created_at_ms: number;
  rows: CardRow[];
};

type Props = { account_id: string; time_zone: string };

function accountPath(account_id: string): string {
  return `/admin/v1/accounts/${encodeURIComponent(account_id)}`;
}

export function RateOverrideSection({ account_id }: Props) {
  const path = `${accountPath(account_id)}/rate-overrides`;
  const overrides = useLoad(() => call<{ data: Override[] }>('GET', path), [path]);
  const { active: card } = useActiveRateCard();
  const write = useAction(overrides.reload);
  const current = overrides.data?.data.find((override) => override.active) ?? null;

  const set = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const sku = String(form.get('sku'));
    const rate_usd = normalizeUsdInput(String(form.get('rate_usd') ?? ''));
    const memo = String(form.get('memo') ?? '').trim();
    void write.run('Override set.', async () => {
      if (rate_usd === null) throw new Error('Enter a rate in dollars, such as 0.025.');
      const kept = (current?.rows ?? [])
        .filter((row) => row.sku !== sku)
        .map((row) => ({ sku: row.sku, rate_usd: row.rate_usd ?? '0' }));
      await call('PUT', path, {
        body: { rows: [...kept, { sku, rate_usd }], ...(memo === '' ? {} : { memo }) },
      });
    });
  };

  const remove = () => {
    if (!window.confirm('Remove the override? The account pays the rate card in effect.')) return;
    void write.run('Override removed.', () => call('DELETE', path));
  };

  return (
    <section aria-labelledby="override-title">
      <h2 id="override-title">Rate override</h2>
      <ErrorText error={overrides.error} />
      {overrides.loading && overrides.data === null ? (
        <Loading what="the rate override" />
      ) : current === null ? (
        <Empty>No rate override: this account pays the rate card in effect.</Empty>
      ) : (
        <>
          <p>
            Override version {current.version}
            {current.memo === null ? '' : `: ${current.memo}`}.
          </p>
          <RowsTable rows={current.rows} />
          <button type="button" className="danger" onClick={remove}>
            Remove the override
          </button>
        </>
      )}
      <Outcome action={write} />
      {card === null ? null : (
        <form onSubmit={set} className="inline" aria-label="Set a negotiated rate">
          <label>
            SKU
            <select name="sku">
              {card.rows.map((row) => (
                <option key={row.sku} value={row.sku}>
                  {row.sku}
                </option>
              ))}
            </select>
          </label>
          <label>
            Rate (USD)
            <input name="rate_usd" inputMode="decimal" required size={10} />
          </label>
          <label>
            Reason
            <input name="memo" maxLength={500} />
          </label>
          <button type="submit">Set rate</button>
        </form>
      )}
    </section>
  );
}

export function KeyLimitsSection({ account_id }: Props) {
  const path = `${accountPath(account_id)}/api-keys`;
  const keys = useLoad(() => call<{ data: ApiKey[] }>('GET', path), [path]);
  const write = useAction(keys.reload);
  const live = (keys.data?.data ?? []).filter((key) => !key.revoked);

  const set = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const key_id = String(form.get('key_id'));
    const amount_usd = normalizeUsdInput(String(form.get('amount_usd') ?? ''));
    void write.run('Spending limit set.', async () => {
      if (amount_usd === null) throw new Error('Enter a limit in dollars, such as 50.');
      await call('PUT', `/admin/v1/api-keys/${encodeURIComponent(key_id)}/spending-limit`, {
        body: { window: String(form.get('window')), amount_usd },
      });
    });
  };
  const remove = (key: ApiKey) =>
    write.run('Spending limit removed.', () =>
      call('DELETE', `/admin/v1/api-keys/${encodeURIComponent(key.id)}/spending-limit`),
    );

  return (
    <section aria-labelledby="key-limits-title">
      <h2 id="key-limits-title">API keys and spending limits</h2>
      <ErrorText error={keys.error} />
      {keys.loading && keys.data === null ? (
        <Loading what="API keys" />
      ) : live.length === 0 ? (
        <Empty>No live API key.</Empty>
      ) : (
        <>
          <div className="table-scroll">
            <table data-testid="operator-keys">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Spending limit</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {live.map((key) => (
                  <tr key={key.id}>
                    <td>
                      {key.name ?? '—'} <span className="mono">{key.prefix}…</span>
                    </td>
                    <td>
                      <SpendingLimitText limit={key.spending_limit} />
                    </td>
                    <td>
                      {key.spending_limit == null ? null : (
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => void remove(key)}
                        >
                          Remove limit<span className="visually-hidden"> of {key.prefix}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <form onSubmit={set} className="inline" aria-label="Set a key's spending limit">
            <label>
              Key
              <select name="key_id">
                {live.map((key) => (
                  <option key={key.id} value={key.id}>
                    {key.name ?? key.prefix}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Per
              <select name="window" defaultValue="day">
                <option value="day">day</option>
                <option value="month">month</option>
              </select>
            </label>
            <label>
              Limit (USD)
              <input name="amount_usd" inputMode="decimal" required size={10} />
            </label>
            <button type="submit">Set limit</button>
          </form>
        </>
      )}
      <Outcome action={write} />
    </section>
  );
}

type WebPlan = {
  plan: { name: string } | null;
  cycle_number: number | null;
  resets_at: string | null;
  premium_free_credits: string;
  add_on_free_credits: string;
};

type User = { id: string; email: string; name: string | null; created_at_ms: number };

export function PlanAndUsersSection({ account_id, time_zone }: Props) {
  const path = accountPath(account_id);
  const plan = useLoad(() => call<{ data: WebPlan }>('GET', `${path}/subscription`), [path]);
  const users = useLoad(() => call<{ data: User[] }>('GET', `${path}/users`), [path]);
  const data = plan.data?.data;
  return (
    <section aria-labelledby="plan-users-title">
      <h2 id="plan-users-title">Web plan and users</h2>
      <ErrorText error={plan.error ?? users.error} />
      {data === undefined ? (
        plan.loading ? (
          <Loading what="the web plan" />
        ) : null
      ) : (
        <p data-testid="operator-web-plan">
          {data.plan === null ? 'No web plan' : `Plan ${data.plan.name}`}
          {data.cycle_number === null ? '' : `, cycle ${data.cycle_number}`}:{' '}
          {data.premium_free_credits} premium and {data.add_on_free_credits} add-on credits left
          {data.resets_at === null ? '.' : '; resets '}
          {data.resets_at === null ? null : (
            <Time at_ms={Date.parse(data.resets_at)} time_zone={time_zone} />
          )}
        </p>
      )}
      {users.loading && users.data === null ? (
        <Loading what="users" />
      ) : users.data === null || users.data.data.length === 0 ? (
        <Empty>No user can sign in to this account.</Empty>
      ) : (
        <ul className="list" data-testid="account-users">
          {users.data.data.map((user) => (
            <li key={user.id}>
              {user.email} {user.name === null ? '' : `(${user.name})`} · since{' '}
              <Time at_ms={user.created_at_ms} time_zone={time_zone} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
