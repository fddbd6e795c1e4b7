/**
 * The balance: available, held and settled, live. The server pushes a `balance` event over
 * Server-Sent Events at once and on every ledger change (a job's hold, its settlement, a top-up);
 * the page never polls. EventSource reconnects by itself; the state says so while it does.
 * Below it, the account's web plan (`/dashboard/v1/web-plan`): the plan, its cycle, and the
 * premium and add-on credits left, which jobs signed in through HeyGen's web app spend.
 */
import { useEffect, useState } from 'react';
import { type Balance, call } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { ErrorText, Loading, Money, PageTitle, Time, useLoad } from '../components/ui.tsx';

type Feed = { balance: Balance | null; state: 'connecting' | 'live' | 'reconnecting' };

export function useLiveBalance(): Feed {
  const [feed, setFeed] = useState<Feed>({ balance: null, state: 'connecting' });
  useEffect(() => {
    const source = new EventSource('/dashboard/v1/events');
    source.addEventListener('balance', (event) => {
      const balance = JSON.parse((event as MessageEvent<string>).data) as Balance;
      setFeed({ balance, state: 'live' });
    });
    source.onerror = () => setFeed((current) => ({ ...current, state: 'reconnecting' }));
    return () => source.close();
  }, []);
  return feed;
}

type WebPlan = {
  plan: { name: string; heygen_plan: string; cycle_months: number } | null;
  cycle_number: number | null;
  cycle_started_at: string | null;
  resets_at: string | null;
  premium_free_credits: string;
  premium_held_credits: string;
  add_on_free_credits: string;
  add_on_held_credits: string;
  add_on_free_credit_milli: number;
};

function WebPlanSection({ time_zone }: { time_zone: string }) {
  const plan = useLoad(() => call<{ data: WebPlan }>('GET', '/dashboard/v1/web-plan'));
  const data = plan.data?.data;
  return (
    <section aria-labelledby="web-plan-title">
      <h2 id="web-plan-title">Web plan credits</h2>
      <ErrorText error={plan.error} />
      {plan.loading ? (
        <Loading what="the web plan" />
      ) : data === undefined ? null : data.plan === null && data.add_on_free_credit_milli === 0 ? (
        <p className="empty">
          No web plan: jobs made with your API keys are paid from the balance above.
        </p>
      ) : (
        <dl className="cards" data-testid="web-plan">
          <div className="card">
            <dt>Plan</dt>
            <dd>
              {data.plan === null
                ? 'none'
                : `${data.plan.name} (${data.plan.cycle_months === 1 ? 'monthly' : `every ${data.plan.cycle_months} months`})`}
            </dd>
          </div>
          <div className="card">
            <dt>Premium credits left</dt>
            <dd>{data.premium_free_credits}</dd>
            {data.premium_held_credits === '0' ? null : (
              <dd className="small">{data.premium_held_credits} held by jobs in flight</dd>
            )}
          </div>
          <div className="card">
            <dt>Add-on credits left</dt>
            <dd>{data.add_on_free_credits}</dd>
          </div>
          <div className="card">
            <dt>{data.cycle_number === null ? 'Cycle' : `Cycle ${data.cycle_number} resets`}</dt>
            <dd className="small">
              {data.resets_at === null ? (
                'never'
              ) : (
                <Time at_ms={Date.parse(data.resets_at)} time_zone={time_zone} />
              )}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}

export function BalancePage({ session }: PageProps) {
  const { balance, state } = useLiveBalance();
  return (
    <>
      <PageTitle>Balance</PageTitle>
      <p className={`live live-${state}`} aria-live="polite">
        {state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
      </p>
      {balance === null ? (
        <Loading what="the balance" />
      ) : (
        <dl className="cards" data-testid="balance">
          <div className="card">
            <dt>Available</dt>
            <dd data-testid="available">
              <Money micro={balance.available_micro_usd} />
            </dd>
          </div>
          <div className="card">
            <dt>Held by jobs in flight</dt>
            <dd data-testid="held">
              <Money micro={balance.held_micro_usd} />
            </dd>
          </div>
          <div className="card">
            <dt>Settled (all time)</dt>
            <dd data-testid="settled">
              <Money micro={balance.settled_micro_usd} />
            </dd>
          </div>
        </dl>
      )}
      <p className="hint">
        Available is what new jobs can spend: the posted balance minus what jobs in flight hold.
      </p>
      <WebPlanSection time_zone={session.time_zone} />
    </>
  );
}
