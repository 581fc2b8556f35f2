import { describe, expect, it } from 'vitest';
import { bumpAccountsSql, insertLogsSql, MAX_ROWS_PER_INSERT, selectStoredIdsSql, upsertStatsSql } from './log-sql.js';
import type { LogRow } from './log-row.js';

const row: LogRow = {
  requestId: 'r1',
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
  latencyMs: 10,
  upstreamLatencyMs: 9,
  errorClass: null,
  isStream: false,
  attempts: 1,
  clientFormat: 'openai',
  droppedFields: null,
  startedAt: '2025-06-01 00:00:00.000',
  createdAt: '2025-06-01 00:00:00.010',
  day: '2025-06-01',
};

describe('insertLogsSql', () => {
  it('is one multi-row statement with one placeholder per value', () => {
    const sql = insertLogsSql([row, { ...row, requestId: 'r2' }]);
    expect(sql.sql.match(/^INSERT INTO request_logs \(/)).not.toBeNull();
    expect(sql.sql).not.toMatch(/IGNORE/);
    expect(sql.values).toHaveLength(40);
    expect(sql.values.slice(0, 3)).toEqual(['r1', null, 2]);
    expect(sql.values[20]).toBe('r2');
    expect(sql.sql.split('?').length - 1).toBe(40);
  });

  it('keeps the largest insert within the placeholder limit', () => {
    expect(MAX_ROWS_PER_INSERT * 20).toBeLessThan(65_535);
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
  it('bind every id and usage value as parameters', () => {
    expect(selectStoredIdsSql(['a', 'b']).values).toEqual(['a', 'b']);
    const bump = bumpAccountsSql([
      { accountId: 1, count: 2, lastUsedAt: '2025-06-01 00:00:00.000' },
      { accountId: 5, count: 1, lastUsedAt: '2025-06-01 00:00:01.000' },
    ]);
    expect(bump.values).toEqual([1, 2, '2025-06-01 00:00:00.000', 5, 1, '2025-06-01 00:00:01.000']);
    expect(bump.sql).toContain('UNION ALL');
  });
});
