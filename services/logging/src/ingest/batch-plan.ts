import { dedupKey, type LogRow } from './log-row.js';

/** Totals for one id (proxy or account) on one UTC day. */
export interface DailyRollup {
  id: number;
  day: string;
  requests: number;
  successes: number;
  failures: number;
  totalLatencyMs: number;
  inputTokens: number;
  outputTokens: number;
}

/** How often an account served in a batch, and when it last did. */
export interface AccountUsage {
  accountId: number;
  count: number;
  lastUsedAt: string;
}

/** When a client key was last used in a batch. */
export interface KeyLastUse {
  apiKeyId: number;
  lastUsedAt: string;
}

/** Each client key of the rows with its latest createdAt, by key id. */
export function keyLastUse(rows: readonly LogRow[]): KeyLastUse[] {
  const latest = new Map<number, string>();
  for (const row of rows) {
    if (row.apiKeyId === null) continue;
    const current = latest.get(row.apiKeyId);
    // Same fixed-width format, so string order is time order.
    if (current === undefined || row.createdAt > current) latest.set(row.apiKeyId, row.createdAt);
  }
  return [...latest].map(([apiKeyId, lastUsedAt]) => ({ apiKeyId, lastUsedAt })).sort((a, b) => a.apiKeyId - b.apiKeyId);
}

/** Rows whose request id is neither stored already nor earlier in the batch (redeliveries, republished events). */
export function freshRows(rows: readonly LogRow[], storedIds: Iterable<string>): LogRow[] {
  const seen = new Set<string>();
  for (const id of storedIds) seen.add(dedupKey(id));
  const fresh: LogRow[] = [];
  for (const row of rows) {
    const key = dedupKey(row.requestId);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(row);
  }
  return fresh;
}

/** A request counts as a success when the client got a non-error status. */
export function isSuccess(statusCode: number): boolean {
  return statusCode > 0 && statusCode < 400;
}

/** Daily totals per proxy or per account of `rows`, sorted by (id, day) so that concurrent writers lock in one order. */
export function dailyRollups(rows: readonly LogRow[], by: 'proxyId' | 'accountId'): DailyRollup[] {
  const groups = new Map<string, DailyRollup>();
  for (const row of rows) {
    const id = row[by];
    if (id === null) continue;
    const key = `${id}|${row.day}`;
    let rollup = groups.get(key);
    if (!rollup) {
      rollup = { id, day: row.day, requests: 0, successes: 0, failures: 0, totalLatencyMs: 0, inputTokens: 0, outputTokens: 0 };
      groups.set(key, rollup);
    }
    rollup.requests += 1;
    if (isSuccess(row.statusCode)) rollup.successes += 1;
    else rollup.failures += 1;
    rollup.totalLatencyMs += row.latencyMs;
    rollup.inputTokens += row.inputTokens;
    rollup.outputTokens += row.outputTokens;
  }
  return [...groups.values()].sort((a, b) => a.id - b.id || (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** Per-account request count and latest finish time of `rows`, sorted by account id. */
export function accountUsage(rows: readonly LogRow[]): AccountUsage[] {
  const usage = new Map<number, AccountUsage>();
  for (const row of rows) {
    if (row.accountId === null) continue;
    const current = usage.get(row.accountId);
    if (!current) usage.set(row.accountId, { accountId: row.accountId, count: 1, lastUsedAt: row.createdAt });
    else {
      current.count += 1;
      // Same fixed-width format, so string order is time order.
      if (row.createdAt > current.lastUsedAt) current.lastUsedAt = row.createdAt;
    }
  }
  return [...usage.values()].sort((a, b) => a.accountId - b.accountId);
}
