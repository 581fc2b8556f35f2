import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignProxies, changedBindings, type AccountBinding, type ProxySlot } from './assign-proxies.js';

const account = (id: number, proxyId: number | null = null, isActive = true): AccountBinding => ({ id, proxyId, isActive });
const proxy = (id: number, capacity: number, isActive = true): ProxySlot => ({ id, capacity, isActive });

function countPerProxy(assignments: Map<number, number | null>): Map<number | null, number> {
  const counts = new Map<number | null, number>();
  for (const proxyId of assignments.values()) counts.set(proxyId, (counts.get(proxyId) ?? 0) + 1);
  return counts;
}

/** Applies an assignment to the accounts, as the database write would. */
function apply(accounts: AccountBinding[], assignments: Map<number, number | null>): AccountBinding[] {
  return accounts.map((a) => ({ ...a, proxyId: assignments.get(a.id) ?? null }));
}

describe('assignProxies', () => {
  it('fills the first proxy before the next one, in account id order', () => {
    const result = assignProxies([account(3), account(1), account(2)], [proxy(20, 1), proxy(10, 2)]);
    expect([...result.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [1, 10],
      [2, 10],
      [3, 20],
    ]);
  });

  it('never puts more accounts on a proxy than its capacity and sends the rest direct', () => {
    const accounts = Array.from({ length: 10 }, (_, i) => account(i + 1));
    const result = assignProxies(accounts, [proxy(1, 3), proxy(2, 4)]);
    expect(countPerProxy(result)).toEqual(
      new Map<number | null, number>([
        [1, 3],
        [2, 4],
        [null, 3],
      ]),
    );
  });

  it('keeps existing bindings even when an earlier proxy has room', () => {
    const result = assignProxies([account(1, 2), account(2, 2), account(3)], [proxy(1, 5), proxy(2, 5)]);
    expect(result.get(1)).toBe(2);
    expect(result.get(2)).toBe(2);
    expect(result.get(3)).toBe(1);
  });

  it('honours existing bindings in account id order when a proxy shrank', () => {
    const result = assignProxies([account(5, 1), account(2, 1), account(9, 1)], [proxy(1, 2), proxy(2, 5)]);
    expect(result.get(2)).toBe(1);
    expect(result.get(5)).toBe(1);
    expect(result.get(9)).toBe(2);
  });

  it('moves the accounts of a disabled proxy to the next proxies with room', () => {
    const accounts = [account(1, 1), account(2, 1), account(3, 2), account(4, 1)];
    const result = assignProxies(accounts, [proxy(1, 3, false), proxy(2, 2), proxy(3, 5)]);
    expect(result.get(3)).toBe(2);
    expect(result.get(1)).toBe(2);
    expect(result.get(2)).toBe(3);
    expect(result.get(4)).toBe(3);
  });

  it('drops bindings to proxies that no longer exist', () => {
    const result = assignProxies([account(1, 99)], [proxy(1, 1)]);
    expect(result.get(1)).toBe(1);
  });

  it('gives inactive accounts no proxy and no capacity', () => {
    const result = assignProxies([account(1, 1, false), account(2)], [proxy(1, 1)]);
    expect(result.get(1)).toBeNull();
    expect(result.get(2)).toBe(1);
  });

  it('gives accounts the operator sent direct no proxy and no capacity, even a proxy they had', () => {
    const direct: AccountBinding = { id: 1, proxyId: 1, isActive: true, egress: 'direct' };
    const result = assignProxies([direct, account(2)], [proxy(1, 1)]);
    expect(result.get(1)).toBeNull();
    expect(result.get(2)).toBe(1);
  });

  it('leaves every account without a proxy when there is no active proxy or no capacity', () => {
    expect([...assignProxies([account(1), account(2, 1)], []).values()]).toEqual([null, null]);
    expect([...assignProxies([account(1)], [proxy(1, 0), proxy(2, 3, false)]).values()]).toEqual([null]);
    expect([...assignProxies([account(1)], [proxy(1, -4)]).values()]).toEqual([null]);
  });

  it('changes nothing when run again on its own output', () => {
    const proxies = [proxy(1, 2), proxy(2, 1, false), proxy(3, 3)];
    const accounts = [account(1), account(2, 2), account(3, 3), account(4), account(5, null, false), account(6), account(7), account(8)];
    const first = assignProxies(accounts, proxies);
    const second = assignProxies(apply(accounts, first), proxies);
    expect(second).toEqual(first);
    expect(changedBindings(apply(accounts, first), second)).toEqual([]);
  });

  it('does not depend on input order', () => {
    const proxies = [proxy(1, 2), proxy(2, 2), proxy(3, 1)];
    const accounts = [account(1, 3), account(2), account(3, 3), account(4, 2), account(5), account(6)];
    const forward = assignProxies(accounts, proxies);
    const backward = assignProxies([...accounts].reverse(), [...proxies].reverse());
    expect(new Map([...backward].sort((a, b) => a[0] - b[0]))).toEqual(new Map([...forward].sort((a, b) => a[0] - b[0])));
  });

  it('binds a new account only where there is free room, leaving settled accounts alone', () => {
    const proxies = [proxy(1, 2), proxy(2, 2)];
    const settled = apply([account(1), account(2), account(3)], assignProxies([account(1), account(2), account(3)], proxies));
    const next = assignProxies([...settled, account(4)], proxies);
    expect(changedBindings([...settled, account(4)], next)).toEqual([{ accountId: 4, proxyId: 2 }]);
  });
});

describe('changedBindings', () => {
  it('lists only the accounts whose proxy differs, in id order', () => {
    const accounts = [account(2, 1), account(1, null), account(3, 2)];
    const assignments = new Map<number, number | null>([
      [1, 1],
      [2, 1],
      [3, null],
    ]);
    expect(changedBindings(accounts, assignments)).toEqual([
      { accountId: 1, proxyId: 1 },
      { accountId: 3, proxyId: null },
    ]);
  });
});

describe('assignProxies properties', () => {
  const world = fc
    .record({
      proxies: fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 30 }), capacity: fc.integer({ min: -1, max: 6 }), isActive: fc.boolean() }), {
        selector: (p) => p.id,
        maxLength: 8,
      }),
      accounts: fc.uniqueArray(
        fc.record({ id: fc.integer({ min: 1, max: 500 }), proxyId: fc.option(fc.integer({ min: 1, max: 30 })), isActive: fc.boolean() }),
        { selector: (a) => a.id, maxLength: 60 },
      ),
    })
    .map(({ proxies, accounts }) => ({ proxies: proxies as ProxySlot[], accounts: accounts as AccountBinding[] }));

  it('honours capacity, binds only to active proxies, leaves no room unused, and is stable and order-free', () => {
    fc.assert(
      fc.property(world, ({ proxies, accounts }) => {
        const result = assignProxies(accounts, proxies);
        const active = new Map(proxies.filter((p) => p.isActive).map((p) => [p.id, Math.max(0, p.capacity)]));
        const used = countPerProxy(result);
        for (const [proxyId, count] of used) {
          if (proxyId === null) continue;
          expect(active.has(proxyId)).toBe(true);
          expect(count).toBeLessThanOrEqual(active.get(proxyId)!);
        }
        for (const account of accounts) if (!account.isActive) expect(result.get(account.id)).toBeNull();
        const freeRoom = [...active].some(([id, capacity]) => (used.get(id) ?? 0) < capacity);
        const activeDirect = accounts.some((a) => a.isActive && result.get(a.id) === null);
        expect(freeRoom && activeDirect).toBe(false);
        // Sticky: an active account keeps its active proxy unless that proxy is over capacity.
        const keptPerProxy = new Map<number, number>();
        for (const account of [...accounts].sort((a, b) => a.id - b.id)) {
          if (!account.isActive || account.proxyId === null || !active.has(account.proxyId)) continue;
          const kept = keptPerProxy.get(account.proxyId) ?? 0;
          if (kept < active.get(account.proxyId)!) {
            expect(result.get(account.id)).toBe(account.proxyId);
            keptPerProxy.set(account.proxyId, kept + 1);
          }
        }
        expect(changedBindings(apply(accounts, result), assignProxies(apply(accounts, result), proxies))).toEqual([]);
        const reversed = assignProxies([...accounts].reverse(), [...proxies].reverse());
        for (const [id, proxyId] of result) expect(reversed.get(id)).toBe(proxyId);
      }),
      { numRuns: 300 },
    );
  });
});
