import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import { Badge, CopyButton, ErrorNote, Field, Page, Panel, useAction } from '../components/ui';
import { useApi } from '../components/use-api';
import { fmtRelative, fmtTime, fmtUsd, localToIso } from '../format';
import type { ApiKey, List } from '../types';

const num = (text: string) => (text === '' ? undefined : Number(text));
/** A datetime-local input's value for an ISO time (the browser's time zone). */
const isoToLocal = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

type KeyFields = { name: string; rateLimitPerMin: string; tokensPerMin: string; maxBudget: string; budgetPeriod: string; expiresAt: string; models: string };

const fieldsOf = (key: ApiKey | undefined): KeyFields => ({
  name: key?.name ?? '',
  rateLimitPerMin: key?.rateLimitPerMin == null ? '' : String(key.rateLimitPerMin),
  tokensPerMin: key?.tokensPerMin == null ? '' : String(key.tokensPerMin),
  maxBudget: key?.maxBudget == null ? '' : String(key.maxBudget),
  budgetPeriod: key?.budgetPeriod ?? 'month',
  expiresAt: isoToLocal(key?.expiresAt ?? null),
  models: key?.models?.join(', ') ?? '',
});

/**
 * The key's name and limits as the API takes them. Creating, an empty field leaves the limit off; editing
 * (`clear`), an empty field clears it (null).
 */
function bodyOf(form: KeyFields, clear: boolean): Record<string, unknown> {
  const empty = clear ? null : undefined;
  const models = form.models.split(/[\s,]+/).filter(Boolean);
  const budget = num(form.maxBudget);
  const body: Record<string, unknown> = {
    name: form.name,
    rateLimitPerMin: num(form.rateLimitPerMin) ?? empty,
    tokensPerMin: num(form.tokensPerMin) ?? empty,
    maxBudget: budget ?? empty,
    budgetPeriod: budget === undefined ? empty : form.budgetPeriod,
    expiresAt: localToIso(form.expiresAt) ?? empty,
    models: models.length > 0 ? models : empty,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** The form of a new key, or of an existing one's name and limits (`key` given). */
export function KeyForm({ existing, onSaved }: { existing?: ApiKey; onSaved: (key: ApiKey & { key?: string }) => void }) {
  const [form, setForm] = useState<KeyFields>(fieldsOf(existing));
  const { pending, error, run } = useAction();
  const set = (field: keyof KeyFields) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await run(() =>
      existing ? api.patch<ApiKey>(`/keys/${existing.id}`, bodyOf(form, true)) : api.post<ApiKey & { key: string }>('/keys', bodyOf(form, false)),
    );
    if (saved) onSaved(saved);
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="key-form">
      <Field label="Name">
        <input required value={form.name} onChange={set('name')} data-testid="key-name" />
      </Field>
      <Field label="Requests / min" hint="empty: no limit">
        <input type="number" min={1} value={form.rateLimitPerMin} onChange={set('rateLimitPerMin')} data-testid="key-rpm" />
      </Field>
      <Field label="Tokens / min" hint="empty: no limit">
        <input type="number" min={1} value={form.tokensPerMin} onChange={set('tokensPerMin')} data-testid="key-tpm" />
      </Field>
      <Field label="Budget (USD)" hint="empty: no budget">
        <input type="number" min={0} step="any" value={form.maxBudget} onChange={set('maxBudget')} data-testid="key-budget" />
      </Field>
      <Field label="Budget period" hint="resets at 00:00 UTC (day), Monday (week), the 1st (month); total never">
        <select value={form.budgetPeriod} onChange={set('budgetPeriod')} data-testid="key-budget-period">
          <option value="day">day</option>
          <option value="week">week</option>
          <option value="month">month</option>
          <option value="total">total</option>
        </select>
      </Field>
      <Field label="Expires" hint="empty: never">
        <input type="datetime-local" value={form.expiresAt} onChange={set('expiresAt')} data-testid="key-expires" />
      </Field>
      <Field label="Allowed models" hint="comma separated; empty: all">
        <input value={form.models} onChange={set('models')} data-testid="key-models" />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending} data-testid="key-submit">
          {existing ? 'Save' : 'Create key'}
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

function state(k: ApiKey) {
  if (k.revokedAt) return <Badge tone="muted">revoked</Badge>;
  if (k.expiresAt && new Date(k.expiresAt).getTime() < Date.now()) return <Badge tone="muted">expired</Badge>;
  if (k.spend?.remainingUsd === 0) return <Badge tone="bad">budget spent</Badge>;
  return <Badge tone="ok">active</Badge>;
}

export function KeysPage() {
  const keys = useApi<List<ApiKey>>('/keys');
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<{ name: string; key: string } | undefined>();
  const revoke = useAction();
  return (
    <Page
      title="Keys"
      actions={
        <button type="button" className="primary" data-testid="add-key" onClick={() => (setAdding(!adding), setSecret(undefined))}>
          Create key
        </button>
      }
    >
      {secret && (
        <div className="secret" data-testid="key-secret-panel">
          <p>
            The secret of <b>{secret.name}</b>, shown this once: copy it now.
          </p>
          <code data-testid="key-secret">{secret.key}</code> <CopyButton text={secret.key} testId="key-copy" />
          <button type="button" onClick={() => setSecret(undefined)} data-testid="key-secret-dismiss">
            Done
          </button>
        </div>
      )}
      {adding && (
        <Panel title="New key">
          <KeyForm
            onSaved={(created) => {
              setAdding(false);
              if (created.key) setSecret({ name: created.name, key: created.key });
              keys.reload();
            }}
          />
        </Panel>
      )}
      <ErrorNote error={keys.error ?? revoke.error} />
      <Panel>
        <table data-testid="keys-table">
          <thead>
            <tr>
              <th>id</th>
              <th>name</th>
              <th>prefix</th>
              <th>state</th>
              <th className="num">req/min</th>
              <th className="num">tok/min</th>
              <th className="num">budget</th>
              <th className="num">spent</th>
              <th>models</th>
              <th>expires</th>
              <th>last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.data?.data.map((k) => (
              <tr key={k.id} data-testid={`key-row-${k.name}`}>
                <td>{k.id}</td>
                <td>
                  <Link to={`/keys/${k.id}`} data-testid={`key-link-${k.name}`}>
                    {k.name}
                  </Link>
                </td>
                <td className="mono">{k.prefix}…</td>
                <td>{state(k)}</td>
                <td className="num">{k.rateLimitPerMin ?? '—'}</td>
                <td className="num">{k.tokensPerMin ?? '—'}</td>
                <td className="num">{k.maxBudget == null ? '—' : `${fmtUsd(k.maxBudget)} / ${k.budgetPeriod}`}</td>
                <td className="num" data-testid={`key-spent-${k.name}`}>{k.spend ? fmtUsd(k.spend.spentUsd) : '—'}</td>
                <td>{k.models === null ? 'all' : k.models.length === 0 ? 'none' : k.models.join(', ')}</td>
                <td>{k.expiresAt ? fmtTime(k.expiresAt) : 'never'}</td>
                <td title={fmtTime(k.lastUsedAt)}>{fmtRelative(k.lastUsedAt)}</td>
                <td className="row-actions">
                  {!k.revokedAt && (
                    <button
                      type="button"
                      className="danger"
                      data-testid={`key-revoke-${k.name}`}
                      onClick={() => {
                        if (window.confirm(`Revoke ${k.name}? Clients using it are refused at once.`)) void revoke.run(() => api.delete(`/keys/${k.id}`)).then(keys.reload);
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </Page>
  );
}
