/** Settings: auto-reload, the low-balance alert, and the account's time zone. */
import { type FormEvent, useState } from 'react';
import { call } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { ErrorText, Loading, PageTitle, useLoad } from '../components/ui.tsx';

type AutoReload = {
  enabled: boolean;
  threshold_usd: string | null;
  amount_usd: string | null;
  daily_cap_usd: string | null;
  disabled_reason: string | null;
};
type Alerts = { low_balance_threshold_usd: string | null };

function useSaver() {
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const save = async (run: () => Promise<unknown>) => {
    setError(null);
    setSaved(false);
    try {
      await run();
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  return { error, saved, save };
}

function AutoReloadForm() {
  const current = useLoad(() => call<{ data: AutoReload }>('GET', '/billing/v1/auto-reload'));
  const saver = useSaver();
  if (current.loading) return <Loading what="auto-reload" />;
  const data = current.data?.data;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const cap = String(form.get('daily_cap_usd')).trim();
    void saver.save(() =>
      call('PATCH', '/billing/v1/auto-reload', {
        body: {
          enabled: form.get('enabled') === 'on',
          threshold_usd: String(form.get('threshold_usd')).trim(),
          amount_usd: String(form.get('amount_usd')).trim(),
          daily_cap_usd: cap === '' ? null : cap,
        },
      }),
    );
  };
  return (
    <form onSubmit={submit} aria-labelledby="auto-reload-title">
      <h2 id="auto-reload-title">Auto-reload</h2>
      <p className="hint">
        Charges your saved card (from a Checkout top-up) when the available balance falls below the
        threshold.
      </p>
      <ErrorText error={current.error} />
      {data?.disabled_reason ? <p className="notice">Turned off: {data.disabled_reason}</p> : null}
      <label className="check">
        <input name="enabled" type="checkbox" defaultChecked={data?.enabled ?? false} /> Enabled
      </label>
      <label>
        Threshold (USD)
        <input
          name="threshold_usd"
          inputMode="decimal"
          defaultValue={data?.threshold_usd ?? '5.00'}
        />
      </label>
      <label>
        Amount (USD, at least 5.00)
        <input name="amount_usd" inputMode="decimal" defaultValue={data?.amount_usd ?? '25.00'} />
      </label>
      <label>
        Daily cap (USD, empty for none)
        <input name="daily_cap_usd" inputMode="decimal" defaultValue={data?.daily_cap_usd ?? ''} />
      </label>
      <ErrorText error={saver.error} />
      {saver.saved ? <p role="status">Saved.</p> : null}
      <button type="submit">Save auto-reload</button>
    </form>
  );
}

function AlertForm() {
  const current = useLoad(() => call<{ data: Alerts }>('GET', '/billing/v1/alerts'));
  const saver = useSaver();
  if (current.loading) return <Loading what="alerts" />;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('threshold')).trim();
    void saver.save(() =>
      call('PATCH', '/billing/v1/alerts', {
        body: { low_balance_threshold_usd: value === '' ? null : value },
      }),
    );
  };
  return (
    <form onSubmit={submit} aria-labelledby="alert-title">
      <h2 id="alert-title">Low-balance alert</h2>
      <ErrorText error={current.error} />
      <label>
        Alert below (USD, empty for off)
        <input
          name="threshold"
          inputMode="decimal"
          defaultValue={current.data?.data.low_balance_threshold_usd ?? ''}
        />
      </label>
      <ErrorText error={saver.error} />
      {saver.saved ? <p role="status">Saved.</p> : null}
      <button type="submit">Save alert</button>
    </form>
  );
}

function TimeZoneForm({ time_zone }: { time_zone: string }) {
  const saver = useSaver();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('time_zone')).trim();
    void saver.save(async () => {
      await call('PATCH', '/dashboard/v1/preferences', { body: { time_zone: value } });
      window.location.reload();
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="tz-title">
      <h2 id="tz-title">Time zone</h2>
      <label>
        IANA time zone (e.g. Europe/Paris)
        <input name="time_zone" defaultValue={time_zone} list="time-zones" />
      </label>
      <datalist id="time-zones">
        {['UTC', Intl.DateTimeFormat().resolvedOptions().timeZone].map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <ErrorText error={saver.error} />
      <button type="submit">Save time zone</button>
    </form>
  );
}

export function SettingsPage({ session }: PageProps) {
  return (
    <>
      <PageTitle>Settings</PageTitle>
      <div className="columns">
        <AutoReloadForm />
        <AlertForm />
        <TimeZoneForm time_zone={session.time_zone} />
      </div>
    </>
  );
}
