import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Badge, ErrorNote, Field, Page, Panel, useAction } from '../components/ui';
import { useApi } from '../components/use-api';
import { fmtRelative, fmtTime } from '../format';
import type { Account, AccountState, ImportResult, List, OAuthLogin, Provider, Proxy } from '../types';

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
        <select value={form.egress} onChange={(e) => setForm({ ...form, egress: e.target.value })} data-testid="account-egress">
          <option value="pool">proxy pool</option>
          <option value="direct">direct</option>
        </select>
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

const OAUTH_KINDS = ['antigravity', 'anthropic', 'openai'] as const;
/** The login kind a provider's kind suggests (Google's OAuth for antigravity and gemini). */
const kindFor = (providerKind: string | undefined) => (providerKind === 'anthropic' || providerKind === 'openai' ? providerKind : 'antigravity');

/** Start a login, open the authorization URL, paste back the redirect URL (or the code), complete. */
function OAuthFlow({ providers, onDone }: { providers: Provider[]; onDone: () => void }) {
  const [providerId, setProviderId] = useState('');
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<string>('');
  const [login, setLogin] = useState<OAuthLogin | undefined>();
  const [pasted, setPasted] = useState('');
  const { pending, error, run } = useAction();
  const provider = providers.find((p) => String(p.id) === providerId);
  const start = async (e: FormEvent) => {
    e.preventDefault();
    const started = await run(() =>
      api.post<OAuthLogin>('/oauth/logins', { provider: Number(providerId), kind: kind || kindFor(provider?.kind), ...(label ? { label } : {}) }),
    );
    if (started) setLogin(started);
  };
  const complete = async (e: FormEvent) => {
    e.preventDefault();
    if (!login) return;
    const value = pasted.trim();
    const body = /^https?:\/\//.test(value) ? { redirectUrl: value } : { code: value };
    const done = await run(() => api.post<OAuthLogin>(`/oauth/logins/${login.id}/complete`, body));
    if (done) {
      setLogin(done);
      onDone();
    }
  };
  if (login?.status === 'completed') {
    return (
      <div className="form" data-testid="oauth-done">
        <p>
          <Badge tone="ok">added</Badge> account #{login.accountId} {login.account?.label ?? ''} ({login.account?.provider ?? ''})
        </p>
      </div>
    );
  }
  if (login) {
    return (
      <form className="form" onSubmit={(e) => void complete(e)} data-testid="oauth-complete-form">
        <p className="wide">
          1. Open{' '}
          <a href={login.authorizationUrl} target="_blank" rel="noreferrer noopener" data-testid="oauth-authorization-url">
            the provider's login page
          </a>{' '}
          and sign in. 2. Paste the URL you are redirected to (or the code) below. Expires {fmtRelative(login.expiresAt)}.
        </p>
        <Field label="Redirect URL or code">
          <input required className="wide-input" value={pasted} onChange={(e) => setPasted(e.target.value)} data-testid="oauth-paste" />
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={pending} data-testid="oauth-complete">
            Complete login
          </button>
        </div>
        <ErrorNote error={error} />
      </form>
    );
  }
  return (
    <form className="form" onSubmit={(e) => void start(e)} data-testid="oauth-start-form">
      <Field label="Provider">
        <ProviderSelect providers={providers} value={providerId} onChange={setProviderId} testId="oauth-provider" />
      </Field>
      <Field label="Login">
        <select value={kind || kindFor(provider?.kind)} onChange={(e) => setKind(e.target.value)} data-testid="oauth-kind">
          {OAUTH_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === 'antigravity' ? 'Google (antigravity)' : k === 'anthropic' ? 'Anthropic (Claude)' : 'OpenAI (ChatGPT)'}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Label" hint="optional">
        <input value={label} onChange={(e) => setLabel(e.target.value)} data-testid="oauth-label" />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending} data-testid="oauth-start">
          Start login
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

/** Credential files (Gemini CLI oauth_creds.json, CLIProxyAPI auth files…) read as text and imported. */
function ImportForm({ providers, onDone }: { providers: Provider[]; onDone: () => void }) {
  const [providerId, setProviderId] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [results, setResults] = useState<ImportResult[] | undefined>();
  const { pending, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const payload = await Promise.all(files.map(async (f) => ({ name: f.name, content: await f.text() })));
    const answer = await run(() => api.post<{ results: ImportResult[] }>('/accounts/import', { provider: Number(providerId), files: payload }));
    if (answer) {
      setResults(answer.results);
      onDone();
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="import-form">
      <Field label="Provider">
        <ProviderSelect providers={providers} value={providerId} onChange={setProviderId} testId="import-provider" />
      </Field>
      <Field label="Credential files">
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
            {results.map((r) => (
              <tr key={r.name}>
                <td className="mono">{r.name}</td>
                <td>
                  <Badge tone={r.status === 'imported' ? 'ok' : r.status === 'skipped' ? 'warn' : 'bad'}>{r.status}</Badge>
                </td>
                <td>{r.format}</td>
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
  return <Badge tone={STATUS_TONE[status]} testId={`account-status-${account.id}`}>{status.replaceAll('_', ' ')}</Badge>;
}

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
      {states.data && !states.data.stateAvailable && <p className="muted">Live state is unavailable (Redis unreachable): showing stored data only.</p>}
      {states.error && <p className="muted">Live state not served by this gateway: showing stored data only.</p>}
      <Panel>
        <table data-testid="accounts-table">
          <thead>
            <tr>
              <th>id</th>
              <th>label</th>
              <th>provider</th>
              <th>auth</th>
              <th>status</th>
              <th>cooling</th>
              <th className="num">rate window</th>
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
                  <td>{a.id}</td>
                  <td>
                    <b>{a.label}</b>
                  </td>
                  <td>{a.provider}</td>
                  <td>{a.authType}</td>
                  <td>{statusOf(a, s)}</td>
                  <td>
                    {s?.cooldowns.map((c, i) => (
                      <div key={i} title={`source: ${c.retryAfterSource}`}>
                        {c.model ?? 'all models'}: {c.reason.replaceAll('_', ' ')} until {fmtTime(c.until)} ({fmtRelative(c.until)})
                      </div>
                    )) ?? '—'}
                  </td>
                  <td className="num">{s ? `${s.rateWindow.requests} / ${s.rateWindow.windowSeconds}s` : '—'}</td>
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
                  <td>{s?.lastError ? <span title={s.lastError.message}>{`${s.lastError.class} ${s.lastError.status} (${fmtRelative(s.lastError.at)})`}</span> : '—'}</td>
                  <td>{s?.quotaResetAt ? fmtTime(s.quotaResetAt) : '—'}</td>
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
