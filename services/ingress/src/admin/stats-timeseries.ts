import type { PrismaClient } from '@aigw/db';
import { z } from '@aigw/config';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Points one answer may hold per series: a month by the hour, a year by the day. */
const MAX_BUCKETS = 800;

export const timeseriesQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    bucket: z.enum(['hour', 'day']).default('hour'),
    by: z.enum(['provider', 'model', 'key']).default('provider'),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['from'],
  });
export type TimeseriesQuery = z.infer<typeof timeseriesQuery>;

/** One bucket of one series. */
export interface TimeseriesPoint {
  t: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** The row SQL gives back per (bucket, group). */
interface BucketRow {
  t: Date | string;
  groupId: number | string | null;
  requests: bigint | number;
  errors: bigint | number | string | null;
  inputTokens: bigint | number | string | null;
  outputTokens: bigint | number | string | null;
  costMicroUsd: bigint | number | string | null;
}

// Each grouping: the request_logs column, and how its rows are labelled.
const GROUP_COLUMNS = { provider: 'provider_id', model: 'model', key: 'api_key_id' } as const;
// Bucket starts in UTC (the connection's time zone is UTC; DATETIME columns hold UTC).
const BUCKET_SQL = { hour: "DATE_FORMAT(created_at, '%Y-%m-%d %H:00:00')", day: "DATE_FORMAT(created_at, '%Y-%m-%d 00:00:00')" } as const;

/** The start of the bucket holding `ms`. */
export function bucketStart(ms: number, bucket: 'hour' | 'day'): number {
  const size = bucket === 'hour' ? HOUR_MS : DAY_MS;
  return Math.floor(ms / size) * size;
}

/** Every bucket start in [from, to), so that a quiet hour shows as zero rather than as a missing point. */
export function bucketStarts(from: number, to: number, bucket: 'hour' | 'day'): number[] {
  const size = bucket === 'hour' ? HOUR_MS : DAY_MS;
  const starts: number[] = [];
  for (let t = bucketStart(from, bucket); t < to && starts.length < MAX_BUCKETS; t += size) starts.push(t);
  return starts;
}

/** The window a query asks for: default the last 24 hours (by the hour) or 30 days (by the day). */
export function timeseriesWindow(query: TimeseriesQuery, now = Date.now()): { from: number; to: number } {
  const to = query.to === undefined ? now : Date.parse(query.to);
  const span = query.bucket === 'hour' ? 24 * HOUR_MS : 30 * DAY_MS;
  const from = query.from === undefined ? to - span : Date.parse(query.from);
  const size = query.bucket === 'hour' ? HOUR_MS : DAY_MS;
  // A window too long for its bucket keeps its most recent MAX_BUCKETS buckets.
  return { from: Math.max(from, bucketStart(to, query.bucket) - (MAX_BUCKETS - 1) * size), to };
}

/** A DATETIME literal in UTC, whatever the session's time zone. */
const sqlUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
const num = (value: bigint | number | string | null): number => (value === null ? 0 : Number(value));
/** SQL's naive DATETIME text or Date, read as UTC. */
const utcMs = (value: Date | string): number => (value instanceof Date ? value.getTime() : Date.parse(`${value.replace(' ', 'T')}Z`));

/** Requests, errors, tokens and cost per bucket, one series per provider, model or client key. */
export async function requestTimeseries(prisma: PrismaClient, query: TimeseriesQuery, now = Date.now()) {
  const { from, to } = timeseriesWindow(query, now);
  const group = GROUP_COLUMNS[query.by];
  const bucketSql = BUCKET_SQL[query.bucket];
  // Only whitelisted identifiers are spliced in; the values are parameters.
  const rows = await prisma.$queryRawUnsafe<BucketRow[]>(
    `SELECT ${bucketSql} AS t, ${group} AS groupId, COUNT(*) AS requests,
            SUM(CASE WHEN status_code >= 400 OR error_class IS NOT NULL THEN 1 ELSE 0 END) AS errors,
            SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens, SUM(cost_micro_usd) AS costMicroUsd
       FROM request_logs
      WHERE created_at >= ? AND created_at < ?
      GROUP BY t, groupId
      ORDER BY t`,
    sqlUtc(from),
    sqlUtc(to),
  );
  const labels = await groupLabels(prisma, query.by, rows.map((row) => row.groupId));
  const starts = bucketStarts(from, to, query.bucket);
  const index = new Map(starts.map((t, i) => [t, i]));
  const series = new Map<string, { key: string; label: string; points: TimeseriesPoint[] }>();
  for (const row of rows) {
    const key = row.groupId === null ? 'none' : String(row.groupId);
    let entry = series.get(key);
    if (entry === undefined) {
      const points = starts.map((t) => ({ t: new Date(t).toISOString(), requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }));
      entry = { key, label: labels.get(key) ?? key, points };
      series.set(key, entry);
    }
    const i = index.get(utcMs(row.t));
    if (i === undefined) continue;
    const point = entry.points[i]!;
    point.requests += num(row.requests);
    point.errors += num(row.errors);
    point.inputTokens += num(row.inputTokens);
    point.outputTokens += num(row.outputTokens);
    point.costUsd = (Math.round(point.costUsd * 1e6) + num(row.costMicroUsd)) / 1e6;
  }
  return {
    bucket: query.bucket,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    series: [...series.values()].sort((a, b) => total(b) - total(a)),
  };
}

const total = (series: { points: TimeseriesPoint[] }) => series.points.reduce((sum, p) => sum + p.requests, 0);

/** Names to show for the series: provider names, key names (with their prefix), models as they are. */
async function groupLabels(prisma: PrismaClient, by: TimeseriesQuery['by'], ids: ReadonlyArray<number | string | null>): Promise<Map<string, string>> {
  const labels = new Map<string, string>([['none', by === 'key' ? '(no key)' : by === 'provider' ? '(no provider)' : '(none)']]);
  const numeric = [...new Set(ids.filter((id): id is number | string => id !== null).map(Number))].filter(Number.isInteger);
  if (by === 'provider' && numeric.length > 0) {
    for (const p of await prisma.provider.findMany({ where: { id: { in: numeric } }, select: { id: true, name: true } })) labels.set(String(p.id), p.name);
  }
  if (by === 'key' && numeric.length > 0) {
    for (const k of await prisma.apiKey.findMany({ where: { id: { in: numeric } }, select: { id: true, name: true, prefix: true } })) {
      labels.set(String(k.id), `${k.name} (${k.prefix}…)`);
    }
  }
  return labels;
}
