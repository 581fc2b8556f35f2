import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { TimeChart } from '../components/time-chart';
import { ErrorNote, Page, Panel, Stat } from '../components/ui';
import { useApi } from '../components/use-api';
import { fmtCompact, fmtInt, fmtTime, fmtUsd } from '../format';
import type { ApiKey, KeyUsage, UsageRow } from '../types';
import { everyDay } from '../usage-days';
import { KeyForm } from './keys';

const DAYS = 30;
const dayChart = (days: Array<UsageRow & { day: string }>, value: (d: UsageRow) => number) => [
  { key: 'v', label: '', values: days.map((d) => ({ t: `${d.day}T00:00:00Z`, value: value(d) })) },
];

/** One client key: its limits, its current period's spend, its usage over 30 days (by day) and by model. */
export function KeyPage() {
  const { id } = useParams();
  const { data: key, error, reload } = useApi<ApiKey>(`/keys/${id}`, 10_000);
  const usage = useApi<KeyUsage>(`/keys/${id}/usage?days=${DAYS}`, 10_000);
  const [editing, setEditing] = useState(false);
  const days = usage.data ? everyDay(usage.data) : [];
  const totals = usage.data?.totals;
  const budget = key?.maxBudget;
  return (
    <Page
      title={key ? `Key ${key.name}` : `Key #${id}`}
      actions={
        <>
          {key && !key.revokedAt && (
            <button type="button" onClick={() => setEditing(!editing)} data-testid="key-edit">
              Edit limits
            </button>
          )}
          <Link to="/keys">All keys</Link>
        </>
      }
    >
      <ErrorNote error={error ?? usage.error} />
      {editing && key && (
        <Panel title="Name and limits">
          <KeyForm
            existing={key}
            onSaved={() => {
              setEditing(false);
              reload();
            }}
          />
        </Panel>
      )}
      {key && (
        <div className="stats">
          <Stat label="prefix" value={<span className="mono">{key.prefix}…</span>} />
          <Stat label={key.spend ? `spent this ${key.budgetPeriod === 'total' ? 'budget' : key.budgetPeriod}` : 'period spend'} value={key.spend ? fmtUsd(key.spend.spentUsd) : '—'} testId="key-period-spend" />
          <Stat
            label={budget == null ? 'budget' : `of ${fmtUsd(budget)} left`}
            value={budget == null ? 'no budget' : fmtUsd(key.spend?.remainingUsd)}
            testId="key-remaining"
          />
          <Stat label="budget resets" value={key.spend ? (key.spend.periodEnd ? fmtTime(key.spend.periodEnd) : 'never') : '—'} />
          <Stat label={`requests (${DAYS} d)`} value={fmtInt(totals?.requests)} testId="key-requests" />
          <Stat label={`tokens (${DAYS} d)`} value={totals ? fmtInt(totals.inputTokens + totals.outputTokens) : '—'} />
          <Stat label={`cost (${DAYS} d)`} value={fmtUsd(totals?.costUsd)} testId="key-cost" />
        </div>
      )}
      <div className="grid2">
        <Panel title="Requests per day">
          <TimeChart series={dayChart(days, (d) => d.requests)} bucket="day" format={fmtCompact} testId="key-chart-requests" />
        </Panel>
        <Panel title="Cost per day (USD)">
          <TimeChart series={dayChart(days, (d) => d.costUsd)} bucket="day" format={(n) => fmtUsd(n)} decimals testId="key-chart-cost" />
        </Panel>
      </div>
      {usage.data && (
        <Panel title={`By model (${DAYS} days)`}>
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
                  <td className="mono">{m.model || '—'}</td>
                  <td className="num">{fmtInt(m.requests)}</td>
                  <td className="num">{fmtInt(m.inputTokens)}</td>
                  <td className="num">{fmtInt(m.outputTokens)}</td>
                  <td className="num">{fmtInt(m.cachedTokens)}</td>
                  <td className="num">{fmtUsd(m.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {usage.data.byModel.length === 0 && <p className="muted">No requests in {DAYS} days.</p>}
        </Panel>
      )}
      {key && (
        <Panel title="Limits">
          <dl className="kv" data-testid="key-limits">
            <dt>requests / min</dt>
            <dd>{key.rateLimitPerMin ?? 'none'}</dd>
            <dt>tokens / min</dt>
            <dd>{key.tokensPerMin ?? 'none'}</dd>
            <dt>budget</dt>
            <dd>{key.maxBudget == null ? 'none' : `${fmtUsd(key.maxBudget)} per ${key.budgetPeriod}`}</dd>
            <dt>allowed models</dt>
            <dd>{key.models === null ? 'all' : key.models.length === 0 ? 'none' : key.models.join(', ')}</dd>
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
