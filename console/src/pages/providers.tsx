import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Badge, ErrorNote, Field, Page, Panel, useAction } from '../components/ui';
import { useApi } from '../components/use-api';
import type { List, ModelRoute, Price, Provider } from '../types';

/** A price override as `$in / $out` per million tokens (and the cached input rate); the table's when none. */
function priceText(price: Price | null): string {
  if (price === null) return 'price table';
  const cached = price.cachedInputPerMTok === undefined ? '' : ` ($${price.cachedInputPerMTok} cached)`;
  return `$${price.inputPerMTok} / $${price.outputPerMTok}${cached}`;
}

function ProviderForm({ onDone }: { onDone: () => void }) {
  const [form, setForm] = useState({ name: '', kind: 'openai', baseUrl: '', models: '' });
  const { pending, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const models = form.models.split(/[\s,]+/).filter(Boolean);
    const done = await run(() =>
      api.post('/providers', { name: form.name, kind: form.kind, baseUrl: form.baseUrl, ...(models.length > 0 ? { models } : {}) }),
    );
    if (done !== undefined) onDone();
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="provider-form">
      <Field label="Name">
        <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="openai-main" data-testid="provider-name" />
      </Field>
      <Field label="Kind">
        <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })} data-testid="provider-kind">
          {['openai', 'anthropic', 'gemini', 'antigravity'].map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </Field>
      <Field label="Base URL">
        <input required value={form.baseUrl} onChange={(e) => setForm({ ...form, baseUrl: e.target.value })} placeholder="https://api.openai.com/v1" data-testid="provider-base-url" />
      </Field>
      <Field label="Extra models" hint="optional, comma separated">
        <input value={form.models} onChange={(e) => setForm({ ...form, models: e.target.value })} data-testid="provider-models" />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending} data-testid="provider-submit">
          Add provider
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

function RouteForm({ providers, onDone }: { providers: Provider[]; onDone: () => void }) {
  const [form, setForm] = useState({ pattern: '', providerId: '', upstreamModel: '', fallbackModel: '', priority: '0', sessionAffinity: false, priceIn: '', priceOut: '', priceCached: '' });
  const { pending, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await run(() =>
      api.post('/routes', {
        pattern: form.pattern,
        providerId: Number(form.providerId),
        priority: Number(form.priority),
        sessionAffinity: form.sessionAffinity,
        ...(form.upstreamModel ? { upstreamModel: form.upstreamModel } : {}),
        ...(form.fallbackModel ? { fallbackModel: form.fallbackModel } : {}),
        // A price needs both rates; without one the price table (or the provider's price) applies.
        ...(form.priceIn !== '' && form.priceOut !== ''
          ? { price: { inputPerMTok: Number(form.priceIn), outputPerMTok: Number(form.priceOut), ...(form.priceCached !== '' ? { cachedInputPerMTok: Number(form.priceCached) } : {}) } }
          : {}),
      }),
    );
    if (done !== undefined) onDone();
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="route-form">
      <Field label="Model pattern" hint="exact name or wildcard, e.g. gpt-4o*">
        <input required value={form.pattern} onChange={(e) => setForm({ ...form, pattern: e.target.value })} data-testid="route-pattern" />
      </Field>
      <Field label="Provider">
        <select required value={form.providerId} onChange={(e) => setForm({ ...form, providerId: e.target.value })} data-testid="route-provider">
          <option value="">choose…</option>
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Upstream model" hint="optional rename">
        <input value={form.upstreamModel} onChange={(e) => setForm({ ...form, upstreamModel: e.target.value })} data-testid="route-upstream-model" />
      </Field>
      <Field label="Fallback model">
        <input value={form.fallbackModel} onChange={(e) => setForm({ ...form, fallbackModel: e.target.value })} />
      </Field>
      <Field label="Priority">
        <input type="number" value={form.priority} onChange={(e) => setForm({ ...form, priority: e.target.value })} />
      </Field>
      <Field label="Input price" hint="USD per million tokens; empty: the price table's">
        <input type="number" min={0} step="any" value={form.priceIn} onChange={(e) => setForm({ ...form, priceIn: e.target.value })} data-testid="route-price-input" />
      </Field>
      <Field label="Output price" hint="USD per million tokens">
        <input type="number" min={0} step="any" required={form.priceIn !== ''} value={form.priceOut} onChange={(e) => setForm({ ...form, priceOut: e.target.value })} data-testid="route-price-output" />
      </Field>
      <Field label="Cached input price" hint="optional">
        <input type="number" min={0} step="any" value={form.priceCached} onChange={(e) => setForm({ ...form, priceCached: e.target.value })} data-testid="route-price-cached" />
      </Field>
      <label className="check">
        <input type="checkbox" checked={form.sessionAffinity} onChange={(e) => setForm({ ...form, sessionAffinity: e.target.checked })} /> session affinity
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending} data-testid="route-submit">
          Add route
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

export function ProvidersPage() {
  const providers = useApi<List<Provider>>('/providers');
  const routes = useApi<List<ModelRoute>>('/routes');
  const [adding, setAdding] = useState<'provider' | 'route' | null>(null);
  const toggle = useAction();
  const setActive = async (path: string, isActive: boolean, reload: () => void) => {
    await toggle.run(() => api.patch(path, { isActive }));
    reload();
  };
  return (
    <Page
      title="Providers"
      actions={
        <>
          <button type="button" className="primary" data-testid="add-provider" onClick={() => setAdding(adding === 'provider' ? null : 'provider')}>
            Add provider
          </button>
          <button type="button" className="primary" data-testid="add-route" onClick={() => setAdding(adding === 'route' ? null : 'route')}>
            Add route
          </button>
        </>
      }
    >
      {adding === 'provider' && (
        <Panel title="New provider">
          <ProviderForm onDone={() => (setAdding(null), providers.reload())} />
        </Panel>
      )}
      {adding === 'route' && (
        <Panel title="New route">
          <RouteForm providers={providers.data?.data ?? []} onDone={() => (setAdding(null), routes.reload())} />
        </Panel>
      )}
      <ErrorNote error={providers.error ?? routes.error ?? toggle.error} />
      <Panel title="Providers">
        <table data-testid="providers-table">
          <thead>
            <tr>
              <th>id</th>
              <th>name</th>
              <th>kind</th>
              <th>base URL</th>
              <th>extra models</th>
              <th title="USD per million tokens: input / output (cached input)">price</th>
              <th>state</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {providers.data?.data.map((p) => (
              <tr key={p.id} data-testid={`provider-row-${p.name}`}>
                <td>{p.id}</td>
                <td>
                  <b>{p.name}</b>
                </td>
                <td>
                  {p.kind}
                  {p.wire ? ` (${p.wire})` : ''}
                </td>
                <td className="mono">{p.baseUrl}</td>
                <td>{p.models?.join(', ') ?? '—'}</td>
                <td>{priceText(p.price)}</td>
                <td>{p.isActive ? <Badge tone="ok">active</Badge> : <Badge tone="muted">disabled</Badge>}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => void setActive(`/providers/${p.id}`, !p.isActive, providers.reload)}>
                    {p.isActive ? 'Disable' : 'Enable'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title="Routes">
        <table data-testid="routes-table">
          <thead>
            <tr>
              <th>pattern</th>
              <th>provider</th>
              <th>upstream model</th>
              <th className="num">priority</th>
              <th>fallback</th>
              <th>affinity</th>
              <th title="USD per million tokens: input / output (cached input)">price</th>
              <th>state</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {routes.data?.data.map((r) => (
              <tr key={r.id} data-testid={`route-row-${r.pattern}`}>
                <td className="mono">{r.pattern}</td>
                <td>{r.provider}</td>
                <td className="mono">{r.upstreamModel ?? '—'}</td>
                <td className="num">{r.priority}</td>
                <td className="mono">{r.fallbackModel ?? '—'}</td>
                <td>{r.sessionAffinity ? 'yes' : 'no'}</td>
                <td data-testid={`route-price-${r.pattern}`}>{priceText(r.price)}</td>
                <td>{r.isActive ? <Badge tone="ok">active</Badge> : <Badge tone="muted">disabled</Badge>}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => void setActive(`/routes/${r.id}`, !r.isActive, routes.reload)}>
                    {r.isActive ? 'Disable' : 'Enable'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </Page>
  );
}
