/**
 * The balance: available, held and settled, live. The server pushes a `balance` event over
 * Server-Sent Events at once and on every ledger change (a job's hold, its settlement, a top-up);
 * the page never polls. EventSource reconnects by itself; the state says so while it does.
 */
import { useEffect, useState } from 'react';
import type { Balance } from '../api.ts';
import { Loading, Money, PageTitle } from '../components/ui.tsx';

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

export function BalancePage() {
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
    </>
  );
}
