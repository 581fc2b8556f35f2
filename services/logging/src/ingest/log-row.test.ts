import { describe, expect, it } from 'vitest';
import { AffinityOutcome, ClientFormat, RequestLogEvent } from '@aigw/proto';
import { dedupKey, storedRequestId, toLogRow, utcDateTime } from './log-row.js';

const RECEIVED = Date.UTC(2025, 5, 1, 12, 0, 0, 500);
// Events read off the stream at once; `now` is when they were received.
const clock = { nowMs: RECEIVED, receivedAtMs: () => RECEIVED };

function event(overrides: Partial<RequestLogEvent> = {}): RequestLogEvent {
  return RequestLogEvent.fromPartial({
    requestId: 'req-1',
    clientRequestId: 'client-7',
    apiKeyId: 3,
    providerId: 2,
    model: 'gpt-4o',
    upstreamModel: 'gpt-4o-2024',
    accountId: 7,
    proxyId: 4,
    statusCode: 200,
    usage: { inputTokens: 10, outputTokens: 20, cachedInputTokens: 5 },
    costMicroUsd: 1234,
    latencyMs: 120,
    upstreamLatencyMs: 100,
    stream: true,
    attempts: 2,
    clientFormat: ClientFormat.CLIENT_FORMAT_ANTHROPIC,
    startedAtMs: RECEIVED - 1_120,
    finishedAtMs: RECEIVED - 1_000,
    droppedFields: ['logprobs', 'n'],
    affinity: AffinityOutcome.AFFINITY_OUTCOME_HIT,
    ...overrides,
  });
}

describe('toLogRow', () => {
  it('maps every field to its column', () => {
    expect(toLogRow(event(), clock)).toEqual({
      requestId: 'req-1',
      clientRequestId: 'client-7',
      apiKeyId: 3,
      providerId: 2,
      model: 'gpt-4o',
      upstreamModel: 'gpt-4o-2024',
      accountId: 7,
      proxyId: 4,
      statusCode: 200,
      inputTokens: 10,
      outputTokens: 20,
      cachedTokens: 5,
      costMicroUsd: 1234,
      latencyMs: 120,
      upstreamLatencyMs: 100,
      errorClass: null,
      isStream: true,
      attempts: 2,
      clientFormat: 'anthropic',
      droppedFields: 'logprobs,n',
      affinity: 'hit',
      startedAt: '2025-06-01 11:59:59.380',
      createdAt: '2025-06-01 11:59:59.500',
      day: '2025-06-01',
    });
  });

  it('names what session affinity did, and stores NULL when it did nothing', () => {
    const affinityOf = (affinity: AffinityOutcome) => toLogRow(event({ affinity }), clock).affinity;
    expect(affinityOf(AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING)).toBe('new_binding');
    expect(affinityOf(AffinityOutcome.AFFINITY_OUTCOME_REBOUND)).toBe('rebound');
    expect(affinityOf(AffinityOutcome.AFFINITY_OUTCOME_NONE)).toBeNull();
    // A value from a newer ingress that this consumer does not know.
    expect(affinityOf(9 as AffinityOutcome)).toBeNull();
  });

  it('stores zero ids, empty strings and missing usage as NULL or 0', () => {
    const row = toLogRow(
      event({ apiKeyId: 0, providerId: 0, accountId: 0, proxyId: 0, upstreamModel: '', errorClass: '', droppedFields: [], usage: undefined, costMicroUsd: undefined }),
      clock,
    );
    expect(row).toMatchObject({
      apiKeyId: null,
      providerId: null,
      accountId: null,
      proxyId: null,
      upstreamModel: null,
      errorClass: null,
      droppedFields: null,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      costMicroUsd: null,
    });
  });

  it('uses the stream time when the event carries no or absurd timestamps', () => {
    expect(toLogRow(event({ startedAtMs: 0, finishedAtMs: 0 }), clock)).toMatchObject({
      startedAt: '2025-06-01 12:00:00.500',
      createdAt: '2025-06-01 12:00:00.500',
    });
    const farFuture = toLogRow(event({ finishedAtMs: Date.UTC(9999, 0, 1) }), clock);
    expect(farFuture.createdAt).toBe('2025-06-01 12:00:00.500');
    // Up to a day ahead of now is a skewed clock, not garbage.
    expect(toLogRow(event({ finishedAtMs: RECEIVED + 3_600_000 }), clock).createdAt).toBe('2025-06-01 13:00:00.500');
    // A start after the finish is a clock error; the row starts when it finished.
    const backwards = toLogRow(event({ startedAtMs: RECEIVED + 5_000, finishedAtMs: RECEIVED }), clock);
    expect(backwards.startedAt).toBe(backwards.createdAt);
  });

  it('fits values that would overflow their columns instead of failing the batch', () => {
    const row = toLogRow(
      event({
        model: 'm'.repeat(300),
        errorClass: 'é'.repeat(100),
        statusCode: 70_000,
        attempts: 99_999,
        latencyMs: 4_000_000_000,
        accountId: 3_000_000_000,
        droppedFields: ['x'.repeat(600)],
      }),
      clock,
    );
    expect(row.model).toHaveLength(128);
    expect(Array.from(row.errorClass!)).toHaveLength(64);
    expect(row.statusCode).toBe(32_767);
    expect(row.attempts).toBe(32_767);
    expect(row.latencyMs).toBe(2_147_483_647);
    expect(row.accountId).toBeNull();
    expect(row.droppedFields).toHaveLength(512);
  });

  it('counts an event without an attempt count as one attempt and names unknown formats', () => {
    const row = toLogRow(event({ attempts: 0, clientFormat: ClientFormat.CLIENT_FORMAT_UNSPECIFIED }), clock);
    expect(row.attempts).toBe(1);
    expect(row.clientFormat).toBe('unspecified');
  });

  it('reads the receive time only for an event without a plausible finish time', () => {
    let reads = 0;
    const counting = { nowMs: RECEIVED, receivedAtMs: () => (reads += 1) && RECEIVED };
    toLogRow(event(), counting);
    expect(reads).toBe(0);
    toLogRow(event({ finishedAtMs: 0 }), counting);
    expect(reads).toBe(1);
  });

  it('rejects an event without a request id', () => {
    expect(() => toLogRow(event({ requestId: '' }), clock)).toThrow(/request id/);
  });

  it('stores no client request id as NULL, and never lets it stand in for the request id', () => {
    expect(toLogRow(event({ clientRequestId: '' }), clock).clientRequestId).toBeNull();
    expect(() => toLogRow(event({ requestId: '', clientRequestId: 'client-7' }), clock)).toThrow(/request id/);
  });
});

describe('storedRequestId', () => {
  it('keeps plain ids and digests the rest to a stable 64-character id', () => {
    expect(storedRequestId('0b7f6c1e-2a4d-4d43-9a55-3c1f1f0e7d11')).toBe('0b7f6c1e-2a4d-4d43-9a55-3c1f1f0e7d11');
    const spaced = storedRequestId('has space');
    expect(spaced).toMatch(/^~[0-9a-f]{63}$/);
    expect(storedRequestId('has space')).toBe(spaced);
    expect(storedRequestId('x'.repeat(65))).toMatch(/^~/);
    expect(storedRequestId('ünïcode')).not.toBe(storedRequestId('unicode'));
  });

  it('compares ids the way the case-insensitive unique index does', () => {
    expect(dedupKey('ABC-1')).toBe(dedupKey('abc-1'));
  });
});

describe('utcDateTime', () => {
  it('formats a DATETIME(3) literal in UTC', () => {
    expect(utcDateTime(Date.UTC(2024, 1, 29, 23, 59, 59, 7))).toBe('2024-02-29 23:59:59.007');
  });

  it('agrees with toISOString for any time, whatever it formatted before', () => {
    const reference = (ms: number): string => new Date(Math.floor(ms)).toISOString().replace('T', ' ').slice(0, 23);
    const base = Date.UTC(2025, 5, 1, 23, 59, 58);
    // Neighbouring seconds, times that share a cache slot (64 s apart), fractions, and times before 1970.
    const times = [base, base + 999, base + 1_000, base + 64_000, base + 64_000 + 1, base - 64_000, base + 0.7, -1, -1_000, 0, 1];
    for (let i = 0; i < 2_000; i += 1) times.push(base + ((i * 7_919_993) % 200_000_000) - 100_000_000);
    for (const ms of [...times, ...times.reverse()]) expect(utcDateTime(ms)).toBe(reference(ms));
    expect(() => utcDateTime(Number.NaN)).toThrow(RangeError);
  });
});
