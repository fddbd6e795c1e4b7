/**
 * Entry of the web app. One app, two modes chosen by the path it is served under: `/console/` is
 * the operator console, anything else the customer dashboard. Pages live in the URL's hash
 * (`#/transactions`), so a reload or a shared link lands on the same page.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';

const mode = window.location.pathname.startsWith('/console') ? 'operator' : 'customer';
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App mode={mode} />
  </StrictMode>,
);
