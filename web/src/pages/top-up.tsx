/**
 * Top-up through Stripe Checkout: the amount goes to `POST /billing/v1/top-ups` (with an
 * Idempotency-Key, so a double click buys once) and the browser is sent to Checkout. Back from
 * it (`?checkout=success`), the page says so; the balance changes once Stripe's webhook arrives.
 */
import { type FormEvent, useState } from 'react';
import { call, newIdempotencyKey, type Page } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { Empty, ErrorText, Loading, Money, PageTitle, Time, useLoad } from '../components/ui.tsx';
import { normalizeUsdInput } from '../format.ts';
import { useLiveBalance } from './balance.tsx';

type TopUp = {
  id: string;
  status: string;
  amount_micro_usd: number;
  checkout_url: string | null;
  created_at_ms: number;
};

export function TopUpPage({ session, params }: PageProps) {
  const topUps = useLoad(() => call<Page<TopUp>>('GET', '/billing/v1/top-ups?limit=20'));
  const { balance } = useLiveBalance();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const amount = normalizeUsdInput(String(new FormData(event.currentTarget).get('amount')));
    if (amount === null) {
      setError(new Error('Enter an amount in dollars, such as 25 or 25.50.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { data } = await call<{ data: TopUp }>('POST', '/billing/v1/top-ups', {
        body: { amount_usd: amount },
        idempotency_key: `${key}-${amount}`,
      });
      if (data.checkout_url !== null) window.location.assign(data.checkout_url);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const returned = params.get('checkout');
  return (
    <>
      <PageTitle>Top up</PageTitle>
      {returned === 'success' ? (
        <p className="notice" role="status">
          Payment received by Checkout. Your balance updates as soon as Stripe confirms it.
        </p>
      ) : returned === 'cancel' ? (
        <p className="notice" role="status">
          Checkout was cancelled; nothing was charged.
        </p>
      ) : null}
      <p>
        Available now:{' '}
        <strong data-testid="top-up-available">
          {balance === null ? '…' : <Money micro={balance.available_micro_usd} />}
        </strong>
      </p>
      <form className="inline" onSubmit={submit}>
        <label>
          Amount (USD)
          <input name="amount" inputMode="decimal" defaultValue="25.00" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Opening Checkout…' : 'Pay with Checkout'}
        </button>
      </form>
      <ErrorText error={error} />
      <h2>Recent top-ups</h2>
      <ErrorText error={topUps.error} />
      {topUps.loading ? (
        <Loading what="top-ups" />
      ) : topUps.data === null || topUps.data.data.length === 0 ? (
        <Empty>No top-ups yet.</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {topUps.data.data.map((topUp) => (
                <tr key={topUp.id}>
                  <td>
                    <Time at_ms={topUp.created_at_ms} time_zone={session.time_zone} />
                  </td>
                  <td className="num">
                    <Money micro={topUp.amount_micro_usd} />
                  </td>
                  <td>{topUp.status.replace('_', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
