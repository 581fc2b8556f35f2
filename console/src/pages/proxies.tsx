import { useState } from 'react';
import { api } from '../api';
import { Badge, ErrorNote, Page, Panel, useAction } from '../components/ui';
import { useApi } from '../components/use-api';
import type { Assignment, List, Proxy } from '../types';

function health(p: Proxy) {
  if (!p.isActive) return <Badge tone="muted">disabled</Badge>;
  if (p.failureCount >= p.maxFailures) return <Badge tone="bad">failing</Badge>;
  if (p.failureCount > 0) return <Badge tone="warn">degraded</Badge>;
  return <Badge tone="ok">healthy</Badge>;
}

export function ProxiesPage() {
  const proxies = useApi<List<Proxy>>('/proxies', 10_000);
  const assignments = useApi<List<Assignment>>('/proxies/assignments', 10_000);
  const action = useAction();
  const [note, setNote] = useState<string | undefined>();
  const reload = () => {
    proxies.reload();
    assignments.reload();
  };
  const setActive = async (p: Proxy, isActive: boolean) => {
    const done = await action.run(() => api.patch(`/proxies/${p.id}`, { isActive }));
    if (done !== undefined) setNote(`${p.label} ${isActive ? 'enabled' : 'disabled'}; its accounts were rebound.`);
    reload();
  };
  const recalculate = async () => {
    const result = await action.run(() => api.post<{ changed: number }>('/proxies/recalculate'));
    if (result) setNote(`Recalculated: ${result.changed} account(s) rebound.`);
    reload();
  };
  const setCapacity = async (p: Proxy) => {
    const capacity = Number(capacities[p.id] ?? p.capacity);
    const done = await action.run(() => api.patch(`/proxies/${p.id}`, { capacity }));
    if (done !== undefined) setNote(`${p.label} now holds up to ${capacity} account(s); assignments recalculated.`);
    reload();
  };
  const [capacities, setCapacities] = useState<Record<number, string>>({});
  const byProxy = new Map((assignments.data?.data ?? []).map((a) => [a.proxyId, a]));
  return (
    <Page
      title="Proxies"
      actions={
        <button type="button" className="primary" disabled={action.pending} onClick={() => void recalculate()} data-testid="recalculate">
          Recalculate assignments
        </button>
      }
    >
      <ErrorNote error={proxies.error ?? action.error} />
      {note && (
        <p className="note" data-testid="proxies-note">
          {note}
        </p>
      )}
      <Panel>
        <table data-testid="proxies-table">
          <thead>
            <tr>
              <th>id</th>
              <th>label</th>
              <th>URL</th>
              <th>health</th>
              <th className="num">failures</th>
              <th className="num">accounts / capacity</th>
              <th>assigned accounts</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {proxies.data?.data.map((p) => (
              <tr key={p.id} data-testid={`proxy-row-${p.label}`}>
                <td>{p.id}</td>
                <td>
                  <b>{p.label}</b>
                </td>
                <td className="mono">{p.proxyUrl}</td>
                <td>{health(p)}</td>
                <td className="num">
                  {p.failureCount} / {p.maxFailures}
                </td>
                <td className="num" data-testid={`proxy-load-${p.label}`}>
                  {byProxy.get(p.id)?.used ?? p.accounts} /{' '}
                  <input
                    type="number"
                    min={0}
                    className="capacity"
                    value={capacities[p.id] ?? String(p.capacity)}
                    onChange={(e) => setCapacities({ ...capacities, [p.id]: e.target.value })}
                    data-testid={`proxy-capacity-${p.label}`}
                  />
                  {capacities[p.id] !== undefined && capacities[p.id] !== String(p.capacity) && (
                    <button type="button" onClick={() => void setCapacity(p)} data-testid={`proxy-capacity-save-${p.label}`}>
                      Set
                    </button>
                  )}
                </td>
                <td className="wrap" data-testid={`proxy-accounts-${p.label}`}>{byProxy.get(p.id)?.accounts.map((a) => a.label).join(', ') || '—'}</td>
                <td className="row-actions">
                  <button type="button" disabled={action.pending} onClick={() => void setActive(p, !p.isActive)} data-testid={`proxy-toggle-${p.label}`}>
                    {p.isActive ? 'Disable' : 'Enable'}
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
