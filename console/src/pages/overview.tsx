import { useEffect, useMemo, useState } from 'react';
import { query } from '../api';
import { TimeChart, type ChartSeries } from '../components/time-chart';
import { ErrorNote, Page, Panel, Stat } from '../components/ui';
import { useApi } from '../components/use-api';
import { fmtCompact, fmtInt, fmtUsd } from '../format';
import type { Timeseries, TimeseriesPoint } from '../types';

const RANGES = {
  '24h': { bucket: 'hour', ms: 24 * 3_600_000 },
  '7d': { bucket: 'hour', ms: 7 * 86_400_000 },
  '30d': { bucket: 'day', ms: 30 * 86_400_000 },
} as const;
type Range = keyof typeof RANGES;
type By = 'provider' | 'model' | 'key';
type Metric = 'requests' | 'errors' | 'tokens' | 'costUsd';

const valueOf = (p: TimeseriesPoint, metric: Metric) => (metric === 'tokens' ? p.inputTokens + p.outputTokens : p[metric]);

/** Requests, errors, tokens and cost over time, stacked by provider, model or key, with the window's totals. */
export function OverviewPage() {
  const [range, setRange] = useState<Range>('24h');
  const [by, setBy] = useState<By>('provider');
  // The window is fixed when the selection changes (not on every render), so the request is stable.
  const path = useMemo(() => {
    const { bucket, ms } = RANGES[range];
    const to = Date.now();
    return `/stats/timeseries${query({ bucket, by, from: new Date(to - ms).toISOString(), to: new Date(to + 60_000).toISOString() })}`;
  }, [range, by]);
  const { data, error, reload } = useApi<Timeseries>(path, 30_000);
  // When the charts first show data: the console's load time (the browser tests read this mark).
  useEffect(() => {
    if (data !== undefined && performance.getEntriesByName('aigw:overview-data').length === 0) performance.mark('aigw:overview-data');
  }, [data]);
  const totals = useMemo(() => {
    const sum = { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    for (const s of data?.series ?? []) {
      for (const p of s.points) {
        sum.requests += p.requests;
        sum.errors += p.errors;
        sum.inputTokens += p.inputTokens;
        sum.outputTokens += p.outputTokens;
        sum.costUsd += p.costUsd;
      }
    }
    return sum;
  }, [data]);
  const chart = (metric: Metric): ChartSeries[] =>
    (data?.series ?? []).map((s) => ({ key: s.key, label: s.label, values: s.points.map((p) => ({ t: p.t, value: valueOf(p, metric) })) }));
  const bucket = data?.bucket ?? RANGES[range].bucket;
  return (
    <Page
      title="Overview"
      actions={
        <>
          <select value={range} onChange={(e) => setRange(e.target.value as Range)} data-testid="overview-range">
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
          </select>
          <select value={by} onChange={(e) => setBy(e.target.value as By)} data-testid="overview-by">
            <option value="provider">by provider</option>
            <option value="model">by model</option>
            <option value="key">by key</option>
          </select>
          <button type="button" onClick={reload}>
            Refresh
          </button>
        </>
      }
    >
      <ErrorNote error={error} />
      <div className="stats">
        <Stat label="requests" value={fmtInt(totals.requests)} testId="total-requests" />
        <Stat label={`errors (${totals.requests > 0 ? ((100 * totals.errors) / totals.requests).toFixed(1) : '0'}%)`} value={fmtInt(totals.errors)} testId="total-errors" />
        <Stat label="input tokens" value={fmtInt(totals.inputTokens)} testId="total-input-tokens" />
        <Stat label="output tokens" value={fmtInt(totals.outputTokens)} testId="total-output-tokens" />
        <Stat label="cost" value={fmtUsd(totals.costUsd)} testId="total-cost" />
      </div>
      {data && data.series.length === 0 && <p className="muted">No requests in this window.</p>}
      <div className="grid2">
        <Panel title="Requests">
          <TimeChart series={chart('requests')} bucket={bucket} format={fmtCompact} testId="chart-requests" />
        </Panel>
        <Panel title="Errors">
          <TimeChart series={chart('errors')} bucket={bucket} format={fmtCompact} testId="chart-errors" />
        </Panel>
        <Panel title="Tokens (input + output)">
          <TimeChart series={chart('tokens')} bucket={bucket} format={fmtCompact} testId="chart-tokens" />
        </Panel>
        <Panel title="Cost (USD)">
          <TimeChart series={chart('costUsd')} bucket={bucket} format={(n) => fmtUsd(n)} decimals testId="chart-cost" />
        </Panel>
      </div>
      {data && data.series.length > 0 && (
        <Panel title={`Totals by ${by}`}>
          <table data-testid="overview-table">
            <thead>
              <tr>
                <th>{by}</th>
                <th className="num">requests</th>
                <th className="num">errors</th>
                <th className="num">input tokens</th>
                <th className="num">output tokens</th>
                <th className="num">cost</th>
              </tr>
            </thead>
            <tbody>
              {data.series.map((s) => {
                const t = s.points.reduce(
                  (a, p) => ({ r: a.r + p.requests, e: a.e + p.errors, i: a.i + p.inputTokens, o: a.o + p.outputTokens, c: a.c + p.costUsd }),
                  { r: 0, e: 0, i: 0, o: 0, c: 0 },
                );
                return (
                  <tr key={s.key} data-testid={`overview-row-${s.label.split(' ')[0]}`}>
                    <td>{s.label}</td>
                    <td className="num">{fmtInt(t.r)}</td>
                    <td className="num">{fmtInt(t.e)}</td>
                    <td className="num">{fmtInt(t.i)}</td>
                    <td className="num">{fmtInt(t.o)}</td>
                    <td className="num">{fmtUsd(t.c)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Panel>
      )}
    </Page>
  );
}
