import { Prisma } from '@aigw/db';
import type { AccountUsage, DailyRollup } from './batch-plan.js';
import type { LogRow } from './log-row.js';

/** Rollup tables and the column that holds their id; the only identifiers ever spliced into SQL. */
export const STATS_TABLES = { proxy_stats: 'proxy_id', account_stats: 'account_id' } as const;
export type StatsTable = keyof typeof STATS_TABLES;

// MariaDB allows 65,535 placeholders per prepared statement; stay well below it.
const MAX_PLACEHOLDERS = 60_000;
const LOG_COLUMNS = 20;
/** Rows per INSERT into request_logs, so that any batch size stays within the placeholder limit. */
export const MAX_ROWS_PER_INSERT = Math.floor(MAX_PLACEHOLDERS / LOG_COLUMNS);

/** The stored request ids among `ids`. */
export function selectStoredIdsSql(ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`SELECT request_id FROM request_logs WHERE request_id IN (${Prisma.join(ids)})`;
}

/** One multi-row INSERT of `rows` (plain, not IGNORE: a duplicate means another writer raced us). */
export function insertLogsSql(rows: readonly LogRow[]): Prisma.Sql {
  const values = rows.map(
    (r) =>
      Prisma.sql`(${r.requestId}, ${r.apiKeyId}, ${r.providerId}, ${r.model}, ${r.upstreamModel}, ${r.accountId}, ${r.proxyId}, ${r.statusCode}, ${r.inputTokens}, ${r.outputTokens}, ${r.cachedTokens}, ${r.latencyMs}, ${r.upstreamLatencyMs}, ${r.errorClass}, ${r.isStream}, ${r.attempts}, ${r.clientFormat}, ${r.droppedFields}, ${r.startedAt}, ${r.createdAt})`,
  );
  return Prisma.sql`INSERT INTO request_logs (request_id, api_key_id, provider_id, model, upstream_model, account_id, proxy_id, status_code, input_tokens, output_tokens, cached_tokens, latency_ms, upstream_latency_ms, error_class, is_stream, attempts, client_format, dropped_fields, started_at, created_at) VALUES ${Prisma.join(values)}`;
}

/**
 * Adds `rollups` to a daily stats table in one statement. MariaDB applies ON DUPLICATE KEY UPDATE assignments
 * left to right, each seeing the columns already updated, so the average uses the new totals.
 */
export function upsertStatsSql(table: StatsTable, rollups: readonly DailyRollup[]): Prisma.Sql {
  const values = rollups.map(
    (r) =>
      Prisma.sql`(${r.id}, ${r.day}, ${r.requests}, ${r.successes}, ${r.failures}, ${r.totalLatencyMs}, ${Math.round(r.totalLatencyMs / r.requests)}, ${r.inputTokens}, ${r.outputTokens})`,
  );
  return Prisma.sql`INSERT INTO ${Prisma.raw(table)} (${Prisma.raw(STATS_TABLES[table])}, day, requests, successes, failures, total_latency_ms, avg_latency_ms, input_tokens, output_tokens) VALUES ${Prisma.join(values)}
ON DUPLICATE KEY UPDATE requests = requests + VALUES(requests), successes = successes + VALUES(successes), failures = failures + VALUES(failures), total_latency_ms = total_latency_ms + VALUES(total_latency_ms), avg_latency_ms = ROUND(total_latency_ms / requests), input_tokens = input_tokens + VALUES(input_tokens), output_tokens = output_tokens + VALUES(output_tokens)`;
}

/** Bumps usage_count and moves last_used_at forward (never back) for every account in `usage`. */
export function bumpAccountsSql(usage: readonly AccountUsage[]): Prisma.Sql {
  const rows = usage.map(
    (u) => Prisma.sql`SELECT CAST(${u.accountId} AS SIGNED) AS id, CAST(${u.count} AS SIGNED) AS n, CAST(${u.lastUsedAt} AS DATETIME(3)) AS t`,
  );
  return Prisma.sql`UPDATE accounts a JOIN (${Prisma.join(rows, ' UNION ALL ')}) u ON a.id = u.id
SET a.usage_count = a.usage_count + u.n, a.last_used_at = GREATEST(COALESCE(a.last_used_at, u.t), u.t)`;
}
