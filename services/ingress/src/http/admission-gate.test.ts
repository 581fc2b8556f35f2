import { AppError } from '@aigw/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdmissionGate, type ShedReason } from './admission-gate.js';

function gate(maxInFlight: number, maxQueue: number, maxQueueMs: number) {
  const shed: ShedReason[] = [];
  return { gate: new AdmissionGate({ maxInFlight, maxQueue, maxQueueMs, onShed: (reason) => shed.push(reason) }), shed };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a rejection');
}

describe('AdmissionGate', () => {
  afterEach(() => vi.useRealTimers());

  it('admits up to maxInFlight at once and gives slots back', async () => {
    const { gate: g } = gate(2, 0, 0);
    const first = await g.enter();
    await g.enter();
    expect(g.inFlight).toBe(2);
    first();
    first(); // a second release gives nothing back twice
    expect(g.inFlight).toBe(1);
    await g.enter();
    expect(g.inFlight).toBe(2);
  });

  it('sheds at once with 503 and Retry-After when the queue is full', async () => {
    const { gate: g, shed } = gate(1, 1, 1_000);
    await g.enter();
    const waiting = g.enter();
    const error = await rejection(g.enter());
    expect(error.httpStatus).toBe(503);
    expect(error.retryAfterMs).toBe(1_000);
    expect(error.details.shed).toBe('queue_full');
    expect(shed).toEqual(['queue_full']);
    expect(g.queued).toBe(1);
    void waiting.catch(() => undefined);
  });

  it('admits queued requests in arrival order as slots free up', async () => {
    const { gate: g } = gate(1, 5, 1_000);
    const release = await g.enter();
    const order: number[] = [];
    const a = g.enter().then((r) => (order.push(1), r));
    const b = g.enter().then((r) => (order.push(2), r));
    expect(g.queued).toBe(2);
    release();
    (await a)();
    (await b)();
    expect(order).toEqual([1, 2]);
    expect(g.inFlight).toBe(0);
    expect(g.queued).toBe(0);
  });

  it('sheds a request that waited maxQueueMs', async () => {
    vi.useFakeTimers();
    const { gate: g, shed } = gate(1, 5, 1_000);
    await g.enter();
    const waiting = rejection(g.enter());
    await vi.advanceTimersByTimeAsync(999);
    expect(g.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await waiting).details.shed).toBe('queue_timeout');
    expect(shed).toEqual(['queue_timeout']);
    expect(g.queued).toBe(0);
  });

  it('drops a waiter whose client went away, without counting it as shed', async () => {
    const { gate: g, shed } = gate(1, 5, 1_000);
    const release = await g.enter();
    const client = new AbortController();
    const waiting = rejection(g.enter(client.signal));
    client.abort();
    expect((await waiting).code).toBe('CANCELLED');
    expect(g.queued).toBe(0);
    release();
    expect(g.inFlight).toBe(0);
    expect(shed).toEqual([]);
  });

  it('never queues with maxQueueMs 0', async () => {
    const { gate: g } = gate(1, 5, 0);
    await g.enter();
    expect((await rejection(g.enter())).details.shed).toBe('queue_full');
  });
});
