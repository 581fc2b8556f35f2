import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { Badge, CopyButton, ErrorNote, Field, Page, Panel, errorText, useAction } from '../components/ui';
import { useApi } from '../components/use-api';
import { fmtRelative, fmtTime, fmtWhen } from '../format';
import type { Account, AccountState, CompletedLogin, ImportResult, List, OAuthLogin, Provider, Proxy } from '../types';

function ProviderSelect({ providers, value, onChange, testId }: { providers: Provider[]; value: string; onChange: (v: string) => void; testId: string }) {
  return (
    <select required value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">choose…</option>
      {providers.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name} ({p.kind})
        </option>
      ))}
    </select>
  );
}

/** An account from an API key or bearer token. */
function KeyAccountForm({ providers, onDone }: { providers: Provider[]; onDone: () => void }) {
  const [form, setForm] = useState({ providerId: '', label: '', authType: 'api_key', secret: '', baseUrl: '', egress: 'pool', rateLimitPerMin: '' });
  const { pending, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await run(() =>
      api.post('/accounts', {
        providerId: Number(form.providerId),
        label: form.label,
        authType: form.authType,
        credentials: form.authType === 'api_key' ? { apiKey: form.secret } : { token: form.secret },
        egress: form.egress,
        ...(form.baseUrl ? { baseUrl: form.baseUrl } : {}),
        ...(form.rateLimitPerMin ? { rateLimitPerMin: Number(form.rateLimitPerMin) } : {}),
      }),
    );
    if (done !== undefined) onDone();
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="account-form">
      <Field label="Provider">
        <ProviderSelect providers={providers} value={form.providerId} onChange={(providerId) => setForm({ ...form, providerId })} testId="account-provider" />
      </Field>
      <Field label="Label">
        <input required value={form.label} onChange={(e) => setForm({ ...form, label: e.target.value })} data-testid="account-label" />
      </Field>
      <Field label="Credential">
        <select value={form.authType} onChange={(e) => setForm({ ...form, authType: e.target.value })} data-testid="account-auth-type">
          <option value="api_key">API key</option>
          <option value="bearer">Bearer token</option>
        </select>
      </Field>
      <Field label={form.authType === 'api_key' ? 'API key' : 'Token'}>
        <input required type="password" autoComplete="off" value={form.secret} onChange={(e) => setForm({ ...form, secret: e.target.value })} data-testid="account-secret" />
      </Field>
      <Field label="Egress" hint="pool: only through a proxy of the pool; direct: no proxy">
        <EgressSelect value={form.egress} onChange={(egress) => setForm({ ...form, egress })} testId="account-egress" />
      </Field>
      <Field label="Base URL" hint="optional, overrides the provider's">
        <input value={form.baseUrl} onChange={(e) => setForm({ ...form, baseUrl: e.target.value })} />
      </Field>
      <Field label="Requests / min" hint="optional">
        <input type="number" min={1} value={form.rateLimitPerMin} onChange={(e) => setForm({ ...form, rateLimitPerMin: e.target.value })} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending} data-testid="account-submit">
          Add account
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

const LOGIN_KINDS = ['antigravity', 'anthropic', 'openai'] as const;
const LOGIN_NAMES: Record<string, string> = { antigravity: 'Google (antigravity)', anthropic: 'Anthropic (Claude)', openai: 'OpenAI (ChatGPT)' };
/** Providers an OAuth login can add an account to: a login's kind is its provider's. */
const loginProviders = (providers: Provider[]) => providers.filter((p) => (LOGIN_KINDS as readonly string[]).includes(p.kind));

function EgressSelect({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId: string }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="pool">proxy pool</option>
      <option value="direct">direct</option>
    </select>
  );
}

/** Seconds left until `iso`, ticking every second. */
function useCountdown(iso: string | undefined): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!iso) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [iso]);
  return iso ? Math.max(0, Math.round((Date.parse(iso) - now) / 1000)) : 0;
}

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** What to do about a failed completion: paste again (wrong state or unreadable), or start over. */
function completionError(e: unknown): string {
  const text = errorText(e);
  if (e instanceof ApiError && e.status === 400 && (e.param === 'state' || e.param === 'redirectUrl' || e.param === 'code')) return `${text}. Paste again.`;
  if (e instanceof ApiError && (e.status === 409 || e.status === 404 || e.status === 502 || e.param === 'id')) return `${text}. Start a new login.`;
  return text;
}

/**
 * Start a login, open the authorization URL, paste back what the browser ends on (the redirect URL from the
 * address bar, or the code the provider shows), complete.
 */
function OAuthFlow({ providers, onDone }: { providers: Provider[]; onDone: () => void }) {
  const choices = loginProviders(providers);
  const [providerId, setProviderId] = useState('');
  const [label, setLabel] = useState('');
  const [egress, setEgress] = useState('pool');
  const [login, setLogin] = useState<OAuthLogin | undefined>();
  const [done, setDone] = useState<CompletedLogin | undefined>();
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);
  const left = useCountdown(login?.status === 'pending' ? login.expiresAt : undefined);
  const provider = choices.find((p) => String(p.id) === providerId);
  const doneRef = useRef(onDone);
  doneRef.current = onDone;
  // The login may end elsewhere (the gateway's callback, another tab): its status is polled while it is open.
  useEffect(() => {
    if (!login || login.status !== 'pending') return;
    const timer = setInterval(() => {
      api.get<OAuthLogin>(`/oauth/logins/${login.id}`).then(
        (fresh) => {
          if (fresh.status === 'pending') return;
          setLogin(fresh);
          if (fresh.status === 'completed') doneRef.current();
        },
        () => undefined,
      );
    }, 3_000);
    return () => clearInterval(timer);
  }, [login]);
  const act = async (action: () => Promise<void>, describe: (e: unknown) => string = errorText) => {
    setPending(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(describe(e));
    } finally {
      setPending(false);
    }
  };
  const start = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      setLogin(await api.post<OAuthLogin>('/oauth/logins', { providerId: Number(providerId), egress, ...(label ? { label } : {}) }));
      setPasted('');
    });
  };
  const complete = (e: FormEvent) => {
    e.preventDefault();
    if (!login) return;
    const value = pasted.trim();
    // A URL is the address bar of the page the provider sent the browser to; anything else is a code (or code#state).
    const body = /^https?:\/\//i.test(value) ? { redirectUrl: value } : { code: value };
    void act(async () => {
      const completed = await api.post<CompletedLogin>(`/oauth/logins/${login.id}/complete`, body);
      setDone(completed);
      setLogin(completed);
      onDone();
    }, completionError);
  };
  const restart = () => (setLogin(undefined), setDone(undefined), setError(undefined), setPasted(''));
  if (login?.status === 'completed') {
    return (
      <div className="form" data-testid="oauth-done">
        <p className="wide">
          <Badge tone="ok">{done?.accountCreated === false ? 'renewed' : 'added'}</Badge>{' '}
          <span data-testid="oauth-account">
            account #{login.accountId} <b>{done?.account.label ?? login.label ?? ''}</b> of {login.provider}
          </span>
          {done?.account && done.account.egress === 'pool' && done.account.waitingForProxy && ' — waiting for a proxy with room (Proxies page)'}
        </p>
        <div className="form-actions">
          <button type="button" onClick={restart} data-testid="oauth-again">
            Log in another account
          </button>
        </div>
      </div>
    );
  }
  if (login) {
    const over = login.status !== 'pending' || left === 0;
    return (
      <form className="form" onSubmit={complete} data-testid="oauth-complete-form">
        <div className="wide">
          <p>
            1. Open the authorization URL and sign in as the account to add ({LOGIN_NAMES[login.kind]}):
          </p>
          <p>
            <a className="mono url" href={login.authorizationUrl} target="_blank" rel="noreferrer noopener" data-testid="oauth-authorization-url">
              {login.authorizationUrl}
            </a>{' '}
            <CopyButton text={login.authorizationUrl} testId="oauth-copy-url" />
          </p>
          <p>
            2.{' '}
            {login.kind === 'anthropic'
              ? 'Paste the code the page shows at the end (code#state).'
              : `The browser ends on ${new URL(login.redirectUri).host}, a page that fails to load: that is expected. Paste the whole URL from its address bar.`}
          </p>
          <p data-testid="oauth-countdown">
            {login.status === 'failed' ? (
              <Badge tone="bad">failed</Badge>
            ) : over ? (
              <Badge tone="bad">expired</Badge>
            ) : (
              <>
                Expires in <b>{mmss(left)}</b>
              </>
            )}
          </p>
        </div>
        <Field label={login.kind === 'anthropic' ? 'Code' : 'Redirect URL'}>
          <input required className="wide-input" value={pasted} onChange={(e) => setPasted(e.target.value)} disabled={over} data-testid="oauth-paste" />
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={pending || over} data-testid="oauth-complete">
            Complete login
          </button>
          <button type="button" onClick={restart} data-testid="oauth-restart">
            Start again
          </button>
        </div>
        {error && (
          <p className="error wide" role="alert" data-testid="oauth-error">
            {error}
          </p>
        )}
        {login.error && <p className="error wide">{login.error}</p>}
      </form>
    );
  }
  return (
    <form className="form" onSubmit={start} data-testid="oauth-start-form">
      <Field label="Provider" hint="providers of kind antigravity, anthropic or openai">
        <ProviderSelect providers={choices} value={providerId} onChange={setProviderId} testId="oauth-provider" />
      </Field>
      <Field label="Login">
        <input readOnly value={provider ? LOGIN_NAMES[provider.kind] : ''} data-testid="oauth-kind" />
      </Field>
      <Field label="Label" hint="optional; default: the account's e-mail">
        <input value={label} onChange={(e) => setLabel(e.target.value)} data-testid="oauth-label" />
      </Field>
      <Field label="Egress" hint="pool: only through a proxy of the pool; direct: no proxy">
        <EgressSelect value={egress} onChange={setEgress} testId="oauth-egress" />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending} data-testid="oauth-start">
          Start login
        </button>
      </div>
      {error && (
        <p className="error wide" role="alert" data-testid="oauth-error">
          {error}
        </p>
      )}
    </form>
  );
}

/** Credential files (Gemini CLI oauth_creds.json, CLIProxyAPI auth files…) read as text and imported. */
function ImportForm({ providers, onDone }: { providers: Provider[]; onDone: () => void }) {
  const [providerId, setProviderId] = useState('');
  const [egress, setEgress] = useState('pool');
  const [files, setFiles] = useState<File[]>([]);
  const [results, setResults] = useState<ImportResult[] | undefined>();
  const { pending, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const payload = await Promise.all(files.map(async (f) => ({ name: f.name, content: await f.text() })));
    const answer = await run(() => api.post<{ results: ImportResult[] }>('/accounts/import', { providerId: Number(providerId), egress, files: payload }));
    if (answer) {
      setResults(answer.results);
      onDone();
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="import-form">
      <Field label="Provider">
        <ProviderSelect providers={loginProviders(providers)} value={providerId} onChange={setProviderId} testId="import-provider" />
      </Field>
      <Field label="Egress">
        <EgressSelect value={egress} onChange={setEgress} testId="import-egress" />
      </Field>
      <Field label="Credential files" hint="Gemini CLI oauth_creds.json, Claude Code .credentials.json, Codex auth.json, CLIProxyAPI auth files">
        <input type="file" multiple required accept=".json,application/json,text/plain" onChange={(e) => setFiles([...(e.target.files ?? [])])} data-testid="import-files" />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending || files.length === 0} data-testid="import-submit">
          Import {files.length > 0 ? `${files.length} file(s)` : ''}
        </button>
      </div>
      <ErrorNote error={error} />
      {results && (
        <table className="wide" data-testid="import-results">
          <thead>
            <tr>
              <th>file</th>
              <th>result</th>
              <th>format</th>
              <th>account</th>
              <th>message</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r, i) => (
              <tr key={`${i}-${r.name}`} data-testid={`import-result-${r.name}`}>
                <td className="mono">{r.name}</td>
                <td>
                  <Badge tone={r.status === 'imported' ? 'ok' : r.status === 'skipped' ? 'warn' : 'bad'}>{r.status}</Badge>
                </td>
                <td>{r.format ?? 'unknown'}</td>
                <td>{r.accountId === null ? '—' : `#${r.accountId} ${r.label ?? ''}`}</td>
                <td>{r.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  );
}

const STATUS_TONE = { active: 'ok', cooling: 'warn', disabled: 'muted', waiting_for_proxy: 'bad' } as const;

function statusOf(account: Account, state: AccountState | undefined) {
  const status = state?.status ?? (!account.isActive ? 'disabled' : account.waitingForProxy ? 'waiting_for_proxy' : 'active');
  return <Badge tone={STATUS_TONE[status]} testId={`account-status-${account.label}`}>{status.replaceAll('_', ' ')}</Badge>;
}

const SOURCES: Record<string, string> = {
  'retry-after': 'the Retry-After header',
  'quota-reset': "the upstream's quota reset time",
  'retry-info': "the upstream's RetryInfo",
  default: 'the default cooldown',
};

export function AccountsPage() {
  const accounts = useApi<List<Account>>('/accounts', 15_000);
  const states = useApi<{ stateAvailable: boolean; data: AccountState[] }>('/accounts/state', 5_000);
  const providers = useApi<List<Provider>>('/providers');
  const proxies = useApi<List<Proxy>>('/proxies', 15_000);
  const proxyLabel = (id: number) => proxies.data?.data.find((p) => p.id === id)?.label ?? `#${id}`;
  const [adding, setAdding] = useState<'key' | 'oauth' | 'import' | null>(null);
  const toggle = useAction();
  const stateById = new Map((states.data?.data ?? []).map((s) => [s.accountId, s]));
  const reload = () => {
    accounts.reload();
    states.reload();
    proxies.reload();
  };
  const open = (which: 'key' | 'oauth' | 'import') => setAdding(adding === which ? null : which);
  const providerList = providers.data?.data ?? [];
  return (
    <Page
      title="Accounts"
      actions={
        <>
          <button type="button" className="primary" data-testid="add-account" onClick={() => open('key')}>
            Add account
          </button>
          <button type="button" className="primary" data-testid="oauth-login" onClick={() => open('oauth')}>
            Log in with OAuth
          </button>
          <button type="button" className="primary" data-testid="import-credentials" onClick={() => open('import')}>
            Import credential files
          </button>
        </>
      }
    >
      {adding === 'key' && (
        <Panel title="New account (API key)">
          <KeyAccountForm providers={providerList} onDone={() => (setAdding(null), reload())} />
        </Panel>
      )}
      {adding === 'oauth' && (
        <Panel title="Log in with OAuth">
          <OAuthFlow providers={providerList} onDone={reload} />
        </Panel>
      )}
      {adding === 'import' && (
        <Panel title="Import credential files">
          <ImportForm providers={providerList} onDone={reload} />
        </Panel>
      )}
      <ErrorNote error={accounts.error ?? toggle.error} />
      {(states.error || (states.data && !states.data.stateAvailable)) && (
        <p className="muted" data-testid="state-unavailable">
          Live state is unavailable (Redis did not answer): showing stored data only.
        </p>
      )}
      <Panel>
        <table data-testid="accounts-table">
          <thead>
            <tr>
              <th>account</th>
              <th>status</th>
              <th>cooling</th>
              <th className="num" title="requests in the current rate window">window</th>
              <th>proxy</th>
              <th>last used</th>
              <th>last error</th>
              <th>quota reset</th>
              <th className="num">affinity</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.data?.data.map((a) => {
              const s = stateById.get(a.id);
              return (
                <tr key={a.id} data-testid={`account-row-${a.label}`}>
                  <td title={`account #${a.id}`}>
                    <b>{a.label}</b>
                    <div className="muted">
                      {a.provider} · {a.authType.replace('_', ' ')}
                    </div>
                  </td>
                  <td>{statusOf(a, s)}</td>
                  <td className="wrap" data-testid={`account-cooling-${a.label}`}>
                    {s && s.cooldowns.length > 0
                      ? s.cooldowns.map((c, i) => (
                          <div key={i} title={`until ${fmtTime(c.until)}, from ${SOURCES[c.retryAfterSource] ?? c.retryAfterSource}`}>
                            <b>{c.reason.replaceAll('_', ' ')}</b> ({c.model ?? 'all models'}) until {fmtWhen(c.until)} ({fmtRelative(c.until)})
                          </div>
                        ))
                      : '—'}
                  </td>
                  <td className="num" title="requests in the last window / the account's limit per minute">
                    {s?.rateWindow.requests == null ? '—' : `${s.rateWindow.requests}${s.rateWindow.limit == null ? '' : `/${s.rateWindow.limit}`} in ${s.rateWindow.windowSeconds}s`}
                  </td>
                  <td data-testid={`account-proxy-${a.label}`}>
                    {s?.proxy ? (
                      <>
                        {s.proxy.label} {!s.proxy.healthy && <Badge tone="bad">unhealthy</Badge>}
                      </>
                    ) : a.proxyId !== null ? (
                      proxyLabel(a.proxyId)
                    ) : a.egress === 'direct' ? (
                      'direct'
                    ) : (
                      '—'
                    )}
                  </td>
                  <td title={fmtTime(s?.lastUsedAt ?? a.lastUsedAt)}>{fmtRelative(s?.lastUsedAt ?? a.lastUsedAt)}</td>
                  <td data-testid={`account-last-error-${a.label}`}>{s?.lastError ? <span title={`${fmtTime(s.lastError.at)} (${fmtRelative(s.lastError.at)}): ${s.lastError.message}`}>{`${s.lastError.class} ${s.lastError.status}`}</span> : '—'}</td>
                  <td data-testid={`account-quota-reset-${a.label}`}>{s?.quotaResetAt ? <span title={`${fmtTime(s.quotaResetAt)} (${fmtRelative(s.quotaResetAt)})`}>{fmtWhen(s.quotaResetAt)}</span> : '—'}</td>
                  <td className="num">{s?.affinityBindings ?? '—'}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      onClick={() => void toggle.run(() => api.patch(`/accounts/${a.id}`, { isActive: !a.isActive })).then(reload)}
                    >
                      {a.isActive ? 'Disable' : 'Enable'}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Panel>
    </Page>
  );
}
