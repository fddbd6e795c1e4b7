/**
 * The shell: finds the session (`GET /dashboard/v1/session`), shows the sign-in form of the mode
 * when there is none, else the navigation and the page the hash names. Focus moves to the page's
 * heading on navigation, for keyboard and screen-reader users.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { ApiError, call, type Session, setCsrfToken } from './api.ts';
import { ErrorText, Loading, PageErrorBoundary } from './components/ui.tsx';
import { CUSTOMER_PAGES } from './pages/customer-pages.tsx';
import { OPERATOR_PAGES } from './pages/operator-pages.tsx';
import { SignIn } from './pages/sign-in.tsx';

export type Mode = 'customer' | 'operator';

export type PageProps = { session: Session; params: URLSearchParams };
export type PageDef = { path: string; title: string; render: (props: PageProps) => ReactNode };

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

export function App({ mode }: { mode: Mode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const hash = useHash();

  useEffect(() => {
    call<{ data: Session }>('GET', '/dashboard/v1/session').then(
      ({ data }) => {
        setCsrfToken(data.csrf_token);
        setSession(data.kind === mode ? data : null);
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) setSession(null);
        else setError(err);
      },
    );
  }, [mode]);

  const pages = mode === 'operator' ? OPERATOR_PAGES : CUSTOMER_PAGES;
  const [pathPart, query = ''] = hash.replace(/^#/, '').split('?');
  const page = pages.find((p) => p.path === pathPart) ?? pages[0]!;

  useEffect(() => {
    document.title = `${page.title} · Tollgate ${mode === 'operator' ? 'console' : 'dashboard'}`;
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [page, mode]);

  if (error !== null) return <ErrorText error={error} />;
  if (session === undefined) return <Loading what="your session" />;
  if (session === null) {
    return (
      <SignIn
        mode={mode}
        onSignedIn={(signed) => {
          setCsrfToken(signed.csrf_token);
          setSession(signed);
        }}
      />
    );
  }

  const signOut = async () => {
    await call('DELETE', '/dashboard/v1/session').catch(() => undefined);
    setCsrfToken(null);
    setSession(null);
  };

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <p className="brand">Tollgate {mode === 'operator' ? 'console' : 'dashboard'}</p>
        <nav aria-label="Pages">
          <ul>
            {pages.map((p) => (
              <li key={p.path}>
                <a href={`#${p.path}`} aria-current={p === page ? 'page' : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        <PageErrorBoundary page={hash}>
          {page.render({ session, params: new URLSearchParams(query) })}
        </PageErrorBoundary>
      </main>
    </div>
  );
}
