/** The customer dashboard's pages, in navigation order. */
import type { PageDef } from '../app.tsx';
import { PageTitle } from '../components/ui.tsx';
import { ApiKeysPage } from './api-keys.tsx';
import { BalancePage } from './balance.tsx';
import { RateCardPage } from './rate-card.tsx';
import { SettingsPage } from './settings.tsx';
import { TopUpPage } from './top-up.tsx';
import { TransactionsPage } from './transactions.tsx';
import { UsagePage } from './usage.tsx';

/** A page for a feature this gateway does not have yet (webhooks, statements): its place is kept. */
function NotYet({ title, what }: { title: string; what: string }) {
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <section className="placeholder">
        <p>{what} are not available on this gateway yet. This page shows them once they are.</p>
      </section>
    </>
  );
}

export const CUSTOMER_PAGES: PageDef[] = [
  { path: '/balance', title: 'Balance', render: () => <BalancePage /> },
  { path: '/usage', title: 'Usage', render: (props) => <UsagePage {...props} /> },
  {
    path: '/transactions',
    title: 'Transactions',
    render: (props) => <TransactionsPage {...props} />,
  },
  { path: '/keys', title: 'API keys', render: (props) => <ApiKeysPage {...props} /> },
  { path: '/top-up', title: 'Top up', render: (props) => <TopUpPage {...props} /> },
  { path: '/settings', title: 'Settings', render: (props) => <SettingsPage {...props} /> },
  { path: '/rate-card', title: 'Rate card', render: () => <RateCardPage /> },
  {
    path: '/webhooks',
    title: 'Webhooks',
    render: () => <NotYet title="Webhooks" what="Webhook endpoints and their delivery log" />,
  },
  {
    path: '/statements',
    title: 'Statements',
    render: () => <NotYet title="Statements" what="Monthly statements" />,
  },
];
