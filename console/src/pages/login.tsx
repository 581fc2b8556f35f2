import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';

/** The operator pastes AIGW_ADMIN_TOKEN; it is checked against the API before it is kept (sessionStorage). */
export function LoginPage({ onLogin }: { onLogin: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      await api.check(token.trim());
      onLogin(token.trim());
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That token is not the admin token.' : `Cannot reach the admin API: ${(err as Error).message}`);
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="login">
      <form onSubmit={(e) => void submit(e)} data-testid="login-form">
        <h1>AIGateway console</h1>
        <p>Paste the admin token (AIGW_ADMIN_TOKEN). It is kept in this tab only.</p>
        <input
          type="password"
          autoComplete="off"
          autoFocus
          placeholder="admin token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          data-testid="login-token"
        />
        <button type="submit" className="primary" disabled={pending || token.trim() === ''} data-testid="login-submit">
          Log in
        </button>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}
