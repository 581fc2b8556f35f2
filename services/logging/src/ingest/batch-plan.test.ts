import { describe, expect, it } from 'vitest';
import { accountUsage, dailyRollups, freshRows, isSuccess, keyLastUse } from './batch-plan.js';
import type { LogRow } from './log-row.js';

function row(requestId: string, overrides: Partial<LogRow> = {}): LogRow {
  const createdAt = overrides.createdAt ?? '2025-06-01 10:00:00.000';
  return {
    requestId,
    clientRequestId: null,
    apiKeyId: 1,
    providerId: 1,
    model: 'm',
    upstreamModel: null,
    accountId: 1,
    proxyId: 1,
    statusCode: 200,
    inputTokens: 1,
    outputTokens: 2,
    cachedTokens: 0,
    costMicroUsd: null,
    latencyMs: 100,
    upstreamLatencyMs: 90,
    errorClass: null,
    isStream: false,
    attempts: 1,
    clientFormat: 'openai',
    droppedFields: null,
    affinity: null,
    startedAt: createdAt,
    ...overrides,
    createdAt,
    day: createdAt.slice(0, 10),
  };
}

describe('keyLastUse', () => {
  it('gives each client key of a batch its latest time, once, and skips rows without a key', () => {
    const rows = [
      row('a', { apiKeyId: 2, createdAt: '2025-06-01 10:00:01.000' }),
      row('b', { apiKeyId: 1, createdAt: '2025-06-01 10:00:03.000' }),
      row('c', { apiKeyId: 2, createdAt: '2025-06-01 10:00:02.000' }),
      row('d', { apiKeyId: null, createdAt: '2025-06-01 10:00:09.000' }),
    ];
    expect(keyLastUse(rows)).toEqual([
      { apiKeyId: 1, lastUsedAt: '2025-06-01 10:00:03.000' },
      { apiKeyId: 2, lastUsedAt: '2025-06-01 10:00:02.000' },
    ]);
  });
});

describe('freshRows', () => {
  it('drops stored ids and repeats within the batch, keeping the first occurrence', () => {
    const rows = [row('a', { latencyMs: 1 }), row('b'), row('a', { latencyMs: 2 }), row('C'), row('c')];
    const fresh = freshRows(rows, ['b']);
    expect(fresh.map((r) => r.requestId)).toEqual(['a', 'C']);
    expect(fresh[0]!.latencyMs).toBe(1);
  });

  it('matches stored ids regardless of case, as the unique index does', () => {
    expect(freshRows([row('ABC'), row('def')], ['abc'])).toHaveLength(1);
  });
});

describe('isSuccess', () => {
  it('counts statuses below 400 as successes', () => {
    expect([200, 204, 304, 399].every(isSuccess)).toBe(true);
    expect([400, 429, 500, 502, 0].some(isSuccess)).toBe(false);
  });
});

describe('dailyRollups', () => {
  const rows = [
    row('1', { proxyId: 2, accountId: 5, statusCode: 200, latencyMs: 100, inputTokens: 10, outputTokens: 1 }),
    row('2', { proxyId: 2, accountId: 5, statusCode: 429, latencyMs: 300, inputTokens: 0, outputTokens: 0 }),
    row('3', { proxyId: 1, accountId: 5, statusCode: 200, latencyMs: 50, createdAt: '2025-06-02 00:00:00.001' }),
    row('4', { proxyId: null, accountId: null, statusCode: 502 }),
    row('5', { proxyId: 2, accountId: 6, statusCode: 500, latencyMs: 20, createdAt: '2025-06-01 23:59:59.999' }),
  ];

  it('totals requests, outcomes, latency and tokens per proxy and UTC day, skipping direct requests', () => {
    expect(dailyRollups(rows, 'proxyId')).toEqual([
      { id: 1, day: '2025-06-02', requests: 1, successes: 1, failures: 0, totalLatencyMs: 50, inputTokens: 1, outputTokens: 2 },
      { id: 2, day: '2025-06-01', requests: 3, successes: 1, failures: 2, totalLatencyMs: 420, inputTokens: 11, outputTokens: 3 },
    ]);
  });

  it('totals per account and day, sorted by account then day', () => {
    expect(dailyRollups(rows, 'accountId').map((r) => [r.id, r.day, r.requests])).toEqual([
      [5, '2025-06-01', 2],
      [5, '2025-06-02', 1],
      [6, '2025-06-01', 1],
    ]);
  });

  it('makes nothing of an empty batch', () => {
    expect(dailyRollups([], 'proxyId')).toEqual([]);
  });
});

describe('accountUsage', () => {
  it('counts requests per account and keeps the latest finish time', () => {
    const usage = accountUsage([
      row('1', { accountId: 9, createdAt: '2025-06-01 10:00:00.000' }),
      row('2', { accountId: 3, createdAt: '2025-06-01 09:00:00.000' }),
      row('3', { accountId: 9, createdAt: '2025-06-01 11:00:00.000' }),
      row('4', { accountId: 9, createdAt: '2025-06-01 08:00:00.000' }),
      row('5', { accountId: null }),
    ]);
    expect(usage).toEqual([
      { accountId: 3, count: 1, lastUsedAt: '2025-06-01 09:00:00.000' },
      { accountId: 9, count: 3, lastUsedAt: '2025-06-01 11:00:00.000' },
    ]);
  });
});
