/**
 * Planning for request_logs' day partitions (pure): partition pYYYYMMDD holds the rows created on that UTC
 * day (VALUES LESS THAN the next midnight), and the catch-all pmax holds anything later. Maintenance splits
 * pmax into the days ahead and drops the days whose every row is past retention.
 */

/** One partition as INFORMATION_SCHEMA.PARTITIONS describes it. */
export interface PartitionInfo {
  name: string;
  /** The upper bound, as the server spells it: `'2026-12-08'`, `'2026-12-08 00:00:00'` or `MAXVALUE`. */
  description: string | null;
}

/** A day partition to create: its name and its exclusive upper bound (the next day, YYYY-MM-DD). */
export interface DayPartition {
  name: string;
  lessThan: string;
}

export interface PartitionPlan {
  /** Day partitions to split off pmax, oldest first. */
  create: DayPartition[];
  /** Day partitions to drop, oldest first. */
  drop: string[];
}

export interface PlanOptions {
  nowMs: number;
  /** Days ahead of today that must have their partition (today's always does). */
  aheadDays: number;
  /** Days of rows kept; 0 keeps everything. A partition goes once its newest possible row is older. */
  retentionDays: number;
}

export const CATCH_ALL = 'pmax';
const DAY_MS = 24 * 3600 * 1000;

/** The UTC day (YYYY-MM-DD) of an instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The partition name for a UTC day: p20261207. */
export function partitionName(day: string): string {
  return `p${day.replaceAll('-', '')}`;
}

function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** The day a partition's bound ends before (YYYY-MM-DD), or undefined for MAXVALUE or an unreadable bound. */
export function boundDay(description: string | null): string | undefined {
  const match = /^'?(\d{4}-\d{2}-\d{2})/.exec((description ?? '').trim());
  return match?.[1];
}

/** What to create and drop so that the days through today + aheadDays exist and none past retention remain. */
export function planPartitions(partitions: readonly PartitionInfo[], options: PlanOptions): PartitionPlan {
  const bounded = partitions
    .map((p) => ({ name: p.name, bound: boundDay(p.description) }))
    .filter((p): p is { name: string; bound: string } => p.bound !== undefined)
    .sort((a, b) => a.bound.localeCompare(b.bound));
  const today = utcDay(options.nowMs);
  const lastDay = addDays(today, options.aheadDays);
  // The first day with no partition of its own: the newest bound (days missed while nothing ran are made
  // too, and pmax's rows move into them), or today when only pmax exists.
  let day = bounded.at(-1)?.bound ?? today;
  const create: DayPartition[] = [];
  for (; day <= lastDay; day = addDays(day, 1)) create.push({ name: partitionName(day), lessThan: addDays(day, 1) });

  const drop: string[] = [];
  if (options.retentionDays > 0) {
    // Rows older than now − retentionDays go; a day goes when its bound (the next midnight) is no later.
    const cutoffMs = options.nowMs - options.retentionDays * DAY_MS;
    for (const p of bounded) if (Date.parse(`${p.bound}T00:00:00Z`) <= cutoffMs) drop.push(p.name);
  }
  return { create, drop };
}

/** Splits pmax into `days` and a new, empty pmax. */
export function reorganizeSql(days: readonly DayPartition[]): string {
  const parts = days.map((d) => `PARTITION ${d.name} VALUES LESS THAN ('${d.lessThan}')`);
  return `ALTER TABLE request_logs REORGANIZE PARTITION ${CATCH_ALL} INTO (${parts.join(', ')}, PARTITION ${CATCH_ALL} VALUES LESS THAN (MAXVALUE))`;
}

/** Drops whole day partitions: a metadata change, however many rows they hold. */
export function dropSql(names: readonly string[]): string {
  return `ALTER TABLE request_logs DROP PARTITION ${names.map(quoteName).join(', ')}`;
}

function quoteName(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
