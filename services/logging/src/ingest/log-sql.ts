import { Prisma, type SqlScalar } from '@aigw/db';
import type { AccountUsage, DailyRollup, KeyLastUse } from './batch-plan.js';
import type { LogRow } from './log-row.js';

/** Rollup tables and the column that holds their id; the only identifiers ever spliced into SQL. */
export const STATS_TABLES = { proxy_stats: 'proxy_id', account_stats: 'account_id' } as const;
export type StatsTable = keyof typeof STATS_TABLES;

/** Quotes one value as an SQL literal: the database driver's own escaping (see createPrismaWithLiterals). */
export type Literal = (value: SqlScalar) => string;

/**
 * Longest INSERT built, in UTF-16 code units (at most 3 bytes each in UTF-8): within max_allowed_packet (4 MB
 * at the least, 16 MB by default on MariaDB) however long the rows' strings are.
 */
export const MAX_STATEMENT_CHARS = 1_000_000;

const LOG_COLUMNS =
  'request_id, api_key_id, provider_id, model, upstream_model, account_id, proxy_id, status_code, input_tokens, output_tokens, cached_tokens, latency_ms, upstream_latency_ms, error_class, is_stream, attempts, client_format, dropped_fields, affinity, started_at, created_at, client_request_id, cost_micro_usd';
const INSERT_LOGS = `INSERT INTO request_logs (${LOG_COLUMNS}) VALUES `;

/** The stored request ids among `ids` (at least one). */
export function selectStoredIdsSql(ids: readonly string[], literal: Literal): string {
  return `SELECT request_id FROM request_logs WHERE request_id IN (${ids.map(literal).join(', ')})`;
}

/** One row of values, in LOG_COLUMNS order. */
export function logTuple(r: LogRow, q: Literal): string {
  // An array joined once makes less garbage than a 22-part template (one intermediate string per part).
  const values = [
    q(r.requestId),
    q(r.apiKeyId),
    q(r.providerId),
    q(r.model),
    q(r.upstreamModel),
    q(r.accountId),
    q(r.proxyId),
    q(r.statusCode),
    q(r.inputTokens),
    q(r.outputTokens),
    q(r.cachedTokens),
    q(r.latencyMs),
    q(r.upstreamLatencyMs),
    q(r.errorClass),
    q(r.isStream),
    q(r.attempts),
    q(r.clientFormat),
    q(r.droppedFields),
    q(r.affinity),
    q(r.startedAt),
    q(r.createdAt),
    q(r.clientRequestId),
    q(r.costMicroUsd),
  ];
  return `(${values.join(', ')})`;
}

/**
 * Multi-row INSERTs of `rows` with their values as literals: one statement unless the rows' text passes
 * maxChars. Plain, not IGNORE: a stored request id must fail the statement (the writer then looks the batch's
 * ids up and retries), and so must a value the column refuses (the consumer then isolates the event).
 */
export function insertLogsSql(rows: readonly LogRow[], literal: Literal, maxChars = MAX_STATEMENT_CHARS): string[] {
  const statements: string[] = [];
  let tuples: string[] = [];
  let chars = INSERT_LOGS.length;
  for (const row of rows) {
    const tuple = logTuple(row, literal);
    if (tuples.length > 0 && chars + tuple.length + 2 > maxChars) {
      statements.push(INSERT_LOGS + tuples.join(', '));
      tuples = [];
      chars = INSERT_LOGS.length;
    }
    tuples.push(tuple);
    chars += tuple.length + 2;
  }
  if (tuples.length > 0) statements.push(INSERT_LOGS + tuples.join(', '));
  return statements;
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

/** Moves api_keys.last_used_at forward (never back) for every client key of a batch: one statement per batch. */
export function touchKeysSql(keys: readonly KeyLastUse[]): Prisma.Sql {
  const rows = keys.map((k) => Prisma.sql`SELECT CAST(${k.apiKeyId} AS SIGNED) AS id, CAST(${k.lastUsedAt} AS DATETIME(3)) AS t`);
  return Prisma.sql`UPDATE api_keys k JOIN (${Prisma.join(rows, ' UNION ALL ')}) u ON k.id = u.id
SET k.last_used_at = GREATEST(COALESCE(k.last_used_at, u.t), u.t)`;
}

/** Bumps usage_count and moves last_used_at forward (never back) for every account in `usage`. */
export function bumpAccountsSql(usage: readonly AccountUsage[]): Prisma.Sql {
  const rows = usage.map(
    (u) => Prisma.sql`SELECT CAST(${u.accountId} AS SIGNED) AS id, CAST(${u.count} AS SIGNED) AS n, CAST(${u.lastUsedAt} AS DATETIME(3)) AS t`,
  );
  return Prisma.sql`UPDATE accounts a JOIN (${Prisma.join(rows, ' UNION ALL ')}) u ON a.id = u.id
SET a.usage_count = a.usage_count + u.n, a.last_used_at = GREATEST(COALESCE(a.last_used_at, u.t), u.t)`;
}
