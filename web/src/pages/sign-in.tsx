/** Sign-in: an account user's email and password, or (console) the operator token, entered once. */
import { type FormEvent, useState } from 'react';
import { call, type Session } from '../api.ts';
import { ErrorText } from '../components/ui.tsx';

export function SignIn({
  mode,
  onSignedIn,
}: {
  mode: 'customer' | 'operator';
  onSignedIn: (session: Session) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { data } =
        mode === 'operator'
          ? await call<{ data: Session }>('POST', '/dashboard/v1/operator-sessions', {
              body: { operator_token: String(form.get('operator_token')) },
            })
          : await call<{ data: Session }>('POST', '/dashboard/v1/sessions', {
              body: { email: String(form.get('email')), password: String(form.get('password')) },
            });
      onSignedIn(data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <h1>{mode === 'operator' ? 'Operator console' : 'Sign in to Tollgate'}</h1>
      <form onSubmit={submit}>
        {mode === 'operator' ? (
          <label>
            Operator token
            <input name="operator_token" type="password" autoComplete="off" required />
          </label>
        ) : (
          <>
            <label>
              Email
              <input name="email" type="email" autoComplete="username" required />
            </label>
            <label>
              Password
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
          </>
        )}
        <ErrorText error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
