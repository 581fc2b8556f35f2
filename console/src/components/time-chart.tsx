import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const PALETTE = ['#2563eb', '#16a34a', '#db2777', '#ea580c', '#7c3aed', '#0891b2', '#ca8a04', '#4b5563', '#dc2626', '#65a30d'];

export interface ChartSeries {
  key: string;
  label: string;
  values: Array<{ t: string; value: number }>;
}

/** Rows of { t, <series key>: value } for recharts, one row per bucket. */
function rowsOf(series: readonly ChartSeries[]): Array<Record<string, number | string>> {
  const rows = new Map<string, Record<string, number | string>>();
  for (const s of series) {
    for (const { t, value } of s.values) {
      const row = rows.get(t) ?? { t };
      row[s.key] = value;
      rows.set(t, row);
    }
  }
  return [...rows.values()].sort((a, b) => String(a['t']).localeCompare(String(b['t'])));
}

const tickOf = (bucket: 'hour' | 'day') => (t: string) => {
  const d = new Date(t);
  return bucket === 'hour' ? `${String(d.getHours()).padStart(2, '0')}:00` : `${d.getMonth() + 1}/${d.getDate()}`;
};

/** A stacked area chart over time, one area per series. */
export function TimeChart({
  series,
  bucket,
  format,
  height = 180,
  decimals = false,
  testId,
}: {
  series: readonly ChartSeries[];
  bucket: 'hour' | 'day';
  format: (n: number) => string;
  height?: number;
  /** Ticks between whole numbers (money); counts have none. */
  decimals?: boolean;
  testId?: string;
}) {
  const rows = rowsOf(series);
  return (
    <div className="chart" data-testid={testId} data-points={rows.length} data-total={series.reduce((n, s) => n + s.values.reduce((m, v) => m + v.value, 0), 0)}>
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="t" tickFormatter={tickOf(bucket)} fontSize={11} minTickGap={24} />
          <YAxis tickFormatter={format} fontSize={11} width={decimals ? 76 : 56} allowDecimals={decimals} />
          <Tooltip labelFormatter={(t) => new Date(String(t)).toLocaleString()} formatter={(v) => format(Number(v))} />
          {series.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} />}
          {series.map((s, i) => (
            <Area
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stackId="1"
              stroke={PALETTE[i % PALETTE.length]}
              fill={PALETTE[i % PALETTE.length]}
              fillOpacity={0.25}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
