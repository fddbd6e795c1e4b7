/**
 * Small shared pieces: amounts, loading and empty states, errors in words, a data loader hook,
 * and a write's outcome (its message or its error).
 */
import { Component, type ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api.ts';
import { formatMicroUsd, formatTime, microUsdTitle } from '../format.ts';

export function Money({ micro }: { micro: number | null }) {
  if (micro === null) return <span title="no rate: not offered">—</span>;
  return (
    <span className="money" title={microUsdTitle(micro)}>
      {formatMicroUsd(micro)}
    </span>
  );
}

export function Time({ at_ms, time_zone }: { at_ms: number; time_zone: string }) {
  return (
    <time dateTime={new Date(at_ms).toISOString()} title={`${time_zone}`}>
      {formatTime(at_ms, time_zone)}
    </time>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message !== '') return err.message;
  return 'Something went wrong. Reload the page and try again.';
}

export function ErrorText({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <p className="error" role="alert">
      {errorMessage(error)}
    </p>
  );
}

export type Loaded<T> = {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
};

/** Loads `load()` once (and again on `reload`), keeping loading and error states. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what load reads.
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [round, ...deps]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { data, error, loading, reload };
}

/** Runs a write, then `onDone`; keeps the write's error, or `done` as its message. */
export function useAction(onDone: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const run = async (done: string, write: () => Promise<unknown>) => {
    setError(null);
    setMessage(null);
    try {
      await write();
      setMessage(done);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return { error, message, run };
}

/** A write's outcome: its message (announced politely) or its error. */
export function Outcome({ action }: { action: { error: unknown; message: string | null } }) {
  return (
    <>
      {action.message === null ? null : (
        <p role="status" className="notice">
          {action.message}
        </p>
      )}
      <ErrorText error={action.error} />
    </>
  );
}

export function PageTitle({ children }: { children: ReactNode }) {
  return <h1 tabIndex={-1}>{children}</h1>;
}

/**
 * Shows a page's unexpected failure in words instead of a blank screen. A class because React
 * catches render errors only in class components (the one class of the app).
 */
export class PageErrorBoundary extends Component<
  { children: ReactNode; page: string },
  { failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidUpdate(previous: { page: string }) {
    if (previous.page !== this.props.page && this.state.failed) this.setState({ failed: false });
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <p className="error" role="alert">
        This page failed to show. Reload the page; if it fails again, contact your operator.
      </p>
    );
  }
}
