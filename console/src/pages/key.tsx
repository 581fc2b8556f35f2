import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { query } from '../api';
import { TimeChart } from '../components/time-chart';
import { ErrorNote, Page, Panel, Stat } from '../components/ui';
import { useApi } from '../components/use-api';
import { fmtCompact, fmtInt, fmtTime, fmtUsd } from '../format';
import type { ApiKey, KeyUsage, List, Timeseries } from '../types';

/** One client key: its limits, its current period's spend, its usage over 30 days (by day) and by model. */
export function KeyPage() {
  const { id } = useParams();
  const keys = useApi<List<ApiKey>>('/keys');
  const key = keys.data?.data.find((k) => String(k.id) === id);
  const path = useMemo(() => {
    const to = Date.now();
    return `/stats/timeseries${query({ bucket: 'day', by: 'key', from: new Date(to - 30 * 86_400_000).toISOString(), to: new Date(to + 60_000).toISOString() })}`;
  }, []);
  const series = useApi<Timeseries>(path);
  const usage = useApi<KeyUsage>(`/keys/${id}/usage?days=30`);
  const mine = series.data?.series.find((s) => s.key === id);
  const totals = (mine?.points ?? []).reduce(
    (a, p) => ({ requests: a.requests + p.requests, errors: a.errors + p.errors, tokens: a.tokens + p.inputTokens + p.outputTokens, cost: a.cost + p.costUsd }),
    { requests: 0, errors: 0, tokens: 0, cost: 0 },
  );
  const points = mine?.points ?? [];
  const bucket = series.data?.bucket ?? 'day';
  return (
    <Page title={key ? `Key ${key.name}` : `Key #${id}`} actions={<Link to="/keys">All keys</Link>}>
      <ErrorNote error={keys.error ?? series.error} />
      {keys.data && !key && <p className="error">No key #{id}.</p>}
      {key && (
        <div className="stats">
          <Stat label="prefix" value={<span className="mono">{key.prefix}…</span>} />
          <Stat label="period spend" value={key.spend ? fmtUsd(key.spend.spentUsd) : '—'} testId="key-period-spend" />
          <Stat label="remaining" value={key.spend?.remainingUsd == null ? (key.maxBudget == null ? 'no budget' : '—') : fmtUsd(key.spend.remainingUsd)} />
          <Stat label="period" value={key.spend ? `${fmtTime(key.spend.periodStart).slice(0, 10)} → ${key.spend.periodEnd ? fmtTime(key.spend.periodEnd).slice(0, 10) : '∞'}` : (key.budgetPeriod ?? '—')} />
          <Stat label="requests (30 d)" value={fmtInt(totals.requests)} testId="key-requests" />
          <Stat label="tokens (30 d)" value={fmtInt(totals.tokens)} />
          <Stat label="cost (30 d)" value={fmtUsd(totals.cost)} />
        </div>
      )}
      <div className="grid2">
        <Panel title="Requests per day">
          <TimeChart series={[{ key: 'requests', label: 'requests', values: points.map((p) => ({ t: p.t, value: p.requests })) }]} bucket={bucket} format={fmtCompact} testId="key-chart-requests" />
        </Panel>
        <Panel title="Cost per day (USD)">
          <TimeChart series={[{ key: 'cost', label: 'cost', values: points.map((p) => ({ t: p.t, value: p.costUsd })) }]} bucket={bucket} format={(n) => fmtUsd(n)} testId="key-chart-cost" />
        </Panel>
      </div>
      {usage.data && (
        <Panel title="By model (30 days)">
          <table data-testid="key-usage-by-model">
            <thead>
              <tr>
                <th>model</th>
                <th className="num">requests</th>
                <th className="num">input</th>
                <th className="num">output</th>
                <th className="num">cached</th>
                <th className="num">cost</th>
              </tr>
            </thead>
            <tbody>
              {usage.data.byModel.map((m) => (
                <tr key={m.model}>
                  <td className="mono">{m.model}</td>
                  <td className="num">{fmtInt(m.requests)}</td>
                  <td className="num">{fmtInt(m.inputTokens)}</td>
                  <td className="num">{fmtInt(m.outputTokens)}</td>
                  <td className="num">{fmtInt(m.cachedTokens)}</td>
                  <td className="num">{fmtUsd(m.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
      {key && (
        <Panel title="Limits">
          <dl className="kv">
            <dt>requests / min</dt>
            <dd>{key.rateLimitPerMin ?? 'none'}</dd>
            <dt>tokens / min</dt>
            <dd>{key.tokensPerMin ?? 'none'}</dd>
            <dt>budget</dt>
            <dd>{key.maxBudget == null ? 'none' : `${fmtUsd(key.maxBudget)} per ${key.budgetPeriod ?? 'month'}`}</dd>
            <dt>allowed models</dt>
            <dd>{key.models?.join(', ') ?? 'all'}</dd>
            <dt>expires</dt>
            <dd>{key.expiresAt ? fmtTime(key.expiresAt) : 'never'}</dd>
            <dt>created</dt>
            <dd>{fmtTime(key.createdAt)}</dd>
            <dt>last used</dt>
            <dd>{fmtTime(key.lastUsedAt)}</dd>
            <dt>revoked</dt>
            <dd>{key.revokedAt ? fmtTime(key.revokedAt) : 'no'}</dd>
          </dl>
          <Link to={`/logs?apiKeyId=${key.id}`}>Request logs of this key →</Link>
        </Panel>
      )}
    </Page>
  );
}
