/** Usage per product per day (charges of finished jobs), in the account's time zone. */
import { useState } from 'react';
import { call, type UsageDay } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { BarChart } from '../components/bar-chart.tsx';
import { Empty, ErrorText, Loading, PageTitle, useLoad } from '../components/ui.tsx';

const RANGES = [7, 30, 90] as const;

export function UsagePage({ session }: PageProps) {
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  const usage = useLoad(() => {
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    const query = `from=${from.toISOString()}&to=${to.toISOString()}`;
    return call<{ data: UsageDay[]; truncated: boolean }>('GET', `/dashboard/v1/usage?${query}`);
  }, [days]);
  return (
    <>
      <PageTitle>Usage</PageTitle>
      <label>
        Period{' '}
        <select value={days} onChange={(e) => setDays(Number(e.target.value) as 7 | 30 | 90)}>
          {RANGES.map((range) => (
            <option key={range} value={range}>
              Last {range} days
            </option>
          ))}
        </select>
      </label>
      <p className="hint">Days are in {session.time_zone}.</p>
      <ErrorText error={usage.error} />
      {usage.loading ? (
        <Loading what="usage" />
      ) : usage.data === null || usage.data.data.length === 0 ? (
        <Empty>No charges in this period yet. Finished jobs show here by day and product.</Empty>
      ) : (
        <BarChart rows={usage.data.data} label="Charges per product per day" />
      )}
    </>
  );
}
