import { describe, expect, it } from 'vitest';
import type { SqlScalar } from '@aigw/db';
import { bumpAccountsSql, insertLogsSql, logTuple, MAX_STATEMENT_CHARS, selectStoredIdsSql, upsertStatsSql } from './log-sql.js';
import type { LogRow } from './log-row.js';

const row: LogRow = {
  requestId: 'r1',
  clientRequestId: 'c1',
  apiKeyId: null,
  providerId: 2,
  model: 'm',
  upstreamModel: null,
  accountId: 3,
  proxyId: null,
  statusCode: 200,
  inputTokens: 1,
  outputTokens: 2,
  cachedTokens: 0,
  costMicroUsd: null,
  latencyMs: 10,
  upstreamLatencyMs: 9,
  errorClass: null,
  isStream: false,
  attempts: 1,
  clientFormat: 'openai',
  droppedFields: null,
  affinity: 'rebound',
  startedAt: '2025-06-01 00:00:00.000',
  createdAt: '2025-06-01 00:00:00.010',
  day: '2025-06-01',
};

// Stands in for the driver's escaping: marks every value so that the tests see where each one went.
const literal = (value: SqlScalar): string => (value === null ? 'NULL' : `<${String(value)}>`);

describe('insertLogsSql', () => {
  it('is one multi-row statement with every value of every row quoted, in column order', () => {
    const [sql, ...more] = insertLogsSql([row, { ...row, requestId: 'r2' }], literal);
    expect(more).toEqual([]);
    expect(sql).toMatch(/^INSERT INTO request_logs \(request_id, api_key_id, provider_id, model, /);
    expect(sql).not.toMatch(/IGNORE/);
    expect(sql).toContain(
      'VALUES (<r1>, NULL, <2>, <m>, NULL, <3>, NULL, <200>, <1>, <2>, <0>, <10>, <9>, NULL, <false>, <1>, <openai>, NULL, <rebound>, <2025-06-01 00:00:00.000>, <2025-06-01 00:00:00.010>, <c1>, NULL), (<r2>, ',
    );
  });

  it('splits rows over several statements rather than pass the length limit, keeping each row once', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ ...row, requestId: `id-${i}` }));
    const tupleLength = logTuple(rows[0]!, literal).length;
    const statements = insertLogsSql(rows, literal, 200 + 3 * tupleLength);
    expect(statements.length).toBeGreaterThan(1);
    expect(statements.every((sql) => sql.startsWith('INSERT INTO request_logs (') && sql.length <= 200 + 3 * tupleLength)).toBe(true);
    expect(statements.join(' ').match(/<id-\d+>/g)).toEqual(rows.map((r) => `<${r.requestId}>`));
  });

  it('makes no statement of no rows, and one per row when a row alone passes the limit', () => {
    expect(insertLogsSql([], literal)).toEqual([]);
    expect(insertLogsSql([row, row], literal, 10)).toHaveLength(2);
    expect(MAX_STATEMENT_CHARS * 3).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('upsertStatsSql', () => {
  it('adds to existing totals and recomputes the average from them', () => {
    const sql = upsertStatsSql('proxy_stats', [
      { id: 4, day: '2025-06-01', requests: 3, successes: 2, failures: 1, totalLatencyMs: 100, inputTokens: 5, outputTokens: 6 },
    ]);
    expect(sql.sql).toContain('INSERT INTO proxy_stats (proxy_id, day,');
    expect(sql.sql).toContain('requests = requests + VALUES(requests)');
    // After the totals in the assignment list, so that it sees the updated values.
    expect(sql.sql.indexOf('avg_latency_ms = ROUND(total_latency_ms / requests)')).toBeGreaterThan(
      sql.sql.indexOf('total_latency_ms = total_latency_ms +'),
    );
    expect(sql.values).toEqual([4, '2025-06-01', 3, 2, 1, 100, 33, 5, 6]);
  });

  it('targets the account table by its own id column', () => {
    const sql = upsertStatsSql('account_stats', [
      { id: 1, day: '2025-06-01', requests: 1, successes: 1, failures: 0, totalLatencyMs: 5, inputTokens: 0, outputTokens: 0 },
    ]);
    expect(sql.sql).toContain('INSERT INTO account_stats (account_id, day,');
  });
});

describe('selectStoredIdsSql and bumpAccountsSql', () => {
  it('quote every id, and bind every usage value as a parameter', () => {
    expect(selectStoredIdsSql(['a', "b'"], literal)).toBe("SELECT request_id FROM request_logs WHERE request_id IN (<a>, <b'>)");
    const bump = bumpAccountsSql([
      { accountId: 1, count: 2, lastUsedAt: '2025-06-01 00:00:00.000' },
      { accountId: 5, count: 1, lastUsedAt: '2025-06-01 00:00:01.000' },
    ]);
    expect(bump.values).toEqual([1, 2, '2025-06-01 00:00:00.000', 5, 1, '2025-06-01 00:00:01.000']);
    expect(bump.sql).toContain('UNION ALL');
  });
});
