import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, query } from '../api';
import { Badge, ErrorNote, Field, Page, Panel, errorText } from '../components/ui';
import { useApi } from '../components/use-api';
import { fmtInt, fmtTime, fmtUsd, localToIso } from '../format';
import type { Account, ApiKey, List, Provider, RequestLog } from '../types';

const FILTERS = ['apiKeyId', 'model', 'accountId', 'status', 'from', 'to', 'q', 'limit'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

export function statusBadge(log: Pick<RequestLog, 'statusCode' | 'errorClass'>) {
  const tone = log.statusCode >= 500 ? 'bad' : log.statusCode >= 400 || log.errorClass ? 'warn' : 'ok';
  return <Badge tone={tone}>{log.statusCode}</Badge>;
}

/** Names for ids: keys and accounts as the operator knows them. */
export function useNames() {
  const keys = useApi<List<ApiKey>>('/keys');
  const accounts = useApi<List<Account>>('/accounts');
  const providers = useApi<List<Provider>>('/providers');
  return useMemo(
    () => ({
      keys: keys.data?.data ?? [],
      accounts: accounts.data?.data ?? [],
      key: (id: number | null) => (id === null ? '—' : (keys.data?.data.find((k) => k.id === id)?.name ?? `#${id}`)),
      account: (id: number | null) => (id === null ? '—' : (accounts.data?.data.find((a) => a.id === id)?.label ?? `#${id}`)),
      provider: (id: number | null) => (id === null ? '—' : (providers.data?.data.find((p) => p.id === id)?.name ?? `#${id}`)),
    }),
    [keys.data, accounts.data, providers.data],
  );
}

/** Request logs, newest first: filters live in the URL, so a filtered view can be linked to. */
export function LogsPage() {
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Filters;
  const [draft, setDraft] = useState<Filters>(applied);
  const names = useNames();
  const [logs, setLogs] = useState<RequestLog[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [tick, setTick] = useState(0);
  const paramsKey = params.toString();
  const shownKey = useRef<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    // Other filters: the rows of the last ones are not shown as if they answered these.
    if (paramsKey !== shownKey.current) setLogs(undefined);
    shownKey.current = paramsKey;
    const base = {
      apiKeyId: applied.apiKeyId,
      model: applied.model,
      accountId: applied.accountId,
      status: applied.status,
      from: localToIso(applied.from),
      to: localToIso(applied.to),
      limit: applied.limit || 200,
    };
    const q = applied.q.trim();
    // One search box: a request id (the gateway's) or a client request id (X-Client-Request-Id).
    const calls = q === '' ? [api.get<List<RequestLog>>(`/stats/logs${query(base)}`)] : [
      api.get<List<RequestLog>>(`/stats/logs${query({ ...base, requestId: q })}`),
      api.get<List<RequestLog>>(`/stats/logs${query({ ...base, clientRequestId: q })}`),
    ];
    Promise.all(calls).then(
      (answers) => {
        if (!live) return;
        const seen = new Set<string>();
        const rows = answers.flatMap((a) => a.data).filter((row) => !seen.has(row.requestId) && (seen.add(row.requestId), true));
        rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
        setLogs(rows);
        setError(undefined);
      },
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paramsKey, tick]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const f of FILTERS) if (draft[f].trim() !== '') next.set(f, draft[f].trim());
    if (next.toString() === paramsKey) setTick((n) => n + 1);
    else setParams(next);
  };
  const set = (field: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });
  return (
    <Page title="Request logs" actions={<button type="button" onClick={() => setTick((n) => n + 1)}>Refresh</button>}>
      <Panel>
        <form className="form filters" onSubmit={submit} data-testid="logs-filters">
          <Field label="Request id / client request id">
            <input value={draft.q} onChange={set('q')} placeholder="search" data-testid="logs-search" />
          </Field>
          <Field label="Key">
            <select value={draft.apiKeyId} onChange={set('apiKeyId')} data-testid="logs-key">
              <option value="">any</option>
              {names.keys.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Model">
            <input value={draft.model} onChange={set('model')} data-testid="logs-model" />
          </Field>
          <Field label="Account">
            <select value={draft.accountId} onChange={set('accountId')} data-testid="logs-account">
              <option value="">any</option>
              {names.accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Status">
            <select value={draft.status} onChange={set('status')} data-testid="logs-status">
              <option value="">any</option>
              <option value="2xx">2xx</option>
              <option value="error">any error</option>
              <option value="4xx">4xx</option>
              <option value="429">429</option>
              <option value="5xx">5xx</option>
            </select>
          </Field>
          <Field label="From">
            <input type="datetime-local" value={draft.from} onChange={set('from')} data-testid="logs-from" />
          </Field>
          <Field label="To">
            <input type="datetime-local" value={draft.to} onChange={set('to')} data-testid="logs-to" />
          </Field>
          <div className="form-actions">
            <button type="submit" className="primary" data-testid="logs-apply">
              Apply
            </button>
            <button type="button" onClick={() => (setDraft(Object.fromEntries(FILTERS.map((f) => [f, ''])) as Filters), setParams(new URLSearchParams()))}>
              Clear
            </button>
          </div>
        </form>
      </Panel>
      <ErrorNote error={error} />
      <Panel>
        <table data-testid="logs-table">
          <thead>
            <tr>
              <th>time</th>
              <th>request id</th>
              <th>client request id</th>
              <th>key</th>
              <th>model</th>
              <th>account</th>
              <th>status</th>
              <th>error</th>
              <th className="num">in</th>
              <th className="num">out</th>
              <th className="num">cost</th>
              <th className="num">latency</th>
              <th>format</th>
            </tr>
          </thead>
          <tbody>
            {logs?.map((log) => (
              <tr key={log.requestId} data-testid={`log-row-${log.requestId}`} data-client-request-id={log.clientRequestId ?? ''}>
                <td>{fmtTime(log.createdAt)}</td>
                <td className="mono">
                  <Link to={`/logs/${encodeURIComponent(log.requestId)}`} data-testid="log-link">
                    {log.requestId}
                  </Link>
                </td>
                <td className="mono">{log.clientRequestId ?? '—'}</td>
                <td>{names.key(log.apiKeyId)}</td>
                <td className="mono">{log.model}</td>
                <td>{names.account(log.accountId)}</td>
                <td>{statusBadge(log)}</td>
                <td>{log.errorClass ?? ''}</td>
                <td className="num">{fmtInt(log.inputTokens)}</td>
                <td className="num">{fmtInt(log.outputTokens)}</td>
                <td className="num">{fmtUsd(log.costUsd)}</td>
                <td className="num">{fmtInt(log.latencyMs)} ms</td>
                <td>
                  {log.clientFormat}
                  {log.isStream ? ' · stream' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {logs && logs.length === 0 && <p className="muted" data-testid="logs-empty">No request matches.</p>}
      </Panel>
    </Page>
  );
}
