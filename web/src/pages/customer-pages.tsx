/** The customer dashboard's pages, in navigation order. */
import type { PageDef } from '../app.tsx';
import { ApiKeysPage } from './api-keys.tsx';
import { BalancePage } from './balance.tsx';
import { RateCardPage } from './rate-card.tsx';
import { SettingsPage } from './settings.tsx';
import { StatementsPage } from './statements.tsx';
import { TopUpPage } from './top-up.tsx';
import { TransactionsPage } from './transactions.tsx';
import { UsagePage } from './usage.tsx';
import { WebhooksPage } from './webhooks.tsx';

export const CUSTOMER_PAGES: PageDef[] = [
  { path: '/balance', title: 'Balance', render: (props) => <BalancePage {...props} /> },
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
    render: (props) => <WebhooksPage {...props} />,
  },
  {
    path: '/statements',
    title: 'Statements',
    render: (props) => <StatementsPage {...props} />,
  },
];
