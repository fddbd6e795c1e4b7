/**
 * API keys: the account's keys with the spending limit the operator set on each (and what the
 * key spent in the limit's current day or month), a new one (its secret shown once, here only),
 * revoke.
 */
import { type FormEvent, useState } from 'react';
import { type ApiKey, call, type SpendingLimit } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { Empty, ErrorText, Loading, Money, PageTitle, Time, useLoad } from '../components/ui.tsx';

export function ApiKeysPage({ session }: PageProps) {
  const keys = useLoad(() => call<{ data: ApiKey[] }>('GET', '/dashboard/v1/api-keys'));
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [error, setError] = useState<unknown>(null);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    setError(null);
    try {
      const { data } = await call<{ data: ApiKey }>('POST', '/dashboard/v1/api-keys', {
        body: name === '' ? {} : { name },
      });
      setCreated(data);
      form.reset();
      keys.reload();
    } catch (err) {
      setError(err);
    }
  };

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke ${key.name ?? key.prefix}? Requests with it fail at once.`)) return;
    setError(null);
    try {
      await call('DELETE', `/dashboard/v1/api-keys/${encodeURIComponent(key.id)}`);
      keys.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageTitle>API keys</PageTitle>
      <form className="inline" onSubmit={create}>
        <label>
          Name (optional)
          <input name="name" maxLength={100} />
        </label>
        <button type="submit">Create key</button>
      </form>
      {created?.key === undefined ? null : (
        <section className="secret" aria-live="polite" data-testid="new-key">
          <h2>Your new key</h2>
          <p>Copy it now: it is shown only this once and is not stored.</p>
          <code data-testid="new-key-secret">{created.key}</code>
          <button
            type="button"
            className="secondary"
            onClick={() => void navigator.clipboard?.writeText(created.key ?? '')}
          >
            Copy
          </button>
        </section>
      )}
      <ErrorText error={error ?? keys.error} />
      {keys.loading && keys.data === null ? (
        <Loading what="API keys" />
      ) : keys.data === null || keys.data.data.length === 0 ? (
        <Empty>No API keys yet.</Empty>
      ) : (
        <div className="table-scroll">
          <table data-testid="api-keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Spending limit</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.data.map((key) => (
                <tr key={key.id}>
                  <td>{key.name ?? '—'}</td>
                  <td className="mono">{key.prefix}…</td>
                  <td>
                    <Time at_ms={key.created_at_ms} time_zone={session.time_zone} />
                  </td>
                  <td>
                    {key.last_used_at_ms === null ? (
                      'never'
                    ) : (
                      <Time at_ms={key.last_used_at_ms} time_zone={session.time_zone} />
                    )}
                  </td>
                  <td>
                    <SpendingLimitText limit={key.spending_limit} />
                  </td>
                  <td>
                    {key.revoked ? (
                      'revoked'
                    ) : (
                      <button type="button" className="danger" onClick={() => void revoke(key)}>
                        Revoke<span className="visually-hidden"> {key.name ?? key.prefix}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="hint">
        Spending limits are set by your operator. A job that would take a key past its limit is
        refused with <code>402 api_key_spending_limit_exceeded</code>.
      </p>
    </>
  );
}

/** `$4.00 of $10.00 today`: spent plus held against the limit of its current window. */
export function SpendingLimitText({ limit }: { limit: SpendingLimit | null | undefined }) {
  if (limit === null || limit === undefined) return <>none</>;
  return (
    <>
      <Money micro={limit.spent_micro_usd + limit.held_micro_usd} /> of{' '}
      <Money micro={limit.amount_micro_usd} /> {limit.window === 'day' ? 'today' : 'this month'}
    </>
  );
}
