import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, createTestDatabase, type PrismaClient, type TestDatabase } from '@aigw/db';
import { listAssignments, recalculateAssignments, type PoolChange } from '../src/index.js';

let db: TestDatabase;
let prisma: PrismaClient;
let providerId: number;

beforeAll(async () => {
  db = await createTestDatabase('aigw_proxy_pool');
  prisma = createPrisma(db.url);
  const provider = await prisma.provider.create({ data: { name: 'openai', kind: 'openai', baseUrl: 'http://127.0.0.1:1' } });
  providerId = provider.id;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function addAccounts(count: number, isActive = true): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const account = await prisma.account.create({
      data: { providerId, label: `acct-${ids.length}-${Math.random().toString(36).slice(2, 6)}`, authType: 'api_key', authData: 'x', isActive },
    });
    ids.push(account.id);
  }
  return ids;
}

async function addProxy(label: string, capacity: number): Promise<number> {
  const proxy = await prisma.proxy.create({ data: { label, proxyUrl: `http://user:secret@${label}.example:3128`, capacity } });
  return proxy.id;
}

async function bindings(): Promise<Map<number, number | null>> {
  const accounts = await prisma.account.findMany({ select: { id: true, proxyId: true }, orderBy: { id: 'asc' } });
  return new Map(accounts.map((a) => [a.id, a.proxyId]));
}

describe('recalculateAssignments against MariaDB', () => {
  it('honours capacity, fills first, survives a restart and rebinds when a proxy is disabled', async () => {
    const p1 = await addProxy('p1', 2);
    const p2 = await addProxy('p2', 3);
    const active = await addAccounts(6);
    const [inactive] = await addAccounts(1, false);

    const first = await recalculateAssignments(prisma);
    expect(first.changed).toBe(5);
    const after = await bindings();
    expect(active.map((id) => after.get(id))).toEqual([p1, p1, p2, p2, p2, null]);
    expect(after.get(inactive!)).toBeNull();
    expect(first.assignments).toEqual([...after].map(([accountId, proxyId]) => ({ accountId, proxyId })));

    // A new process (fresh client and pool) sees the stored bindings and changes nothing.
    const restarted = createPrisma(db.url);
    try {
      const again = await recalculateAssignments(restarted);
      expect(again.changed).toBe(0);
      expect(await bindings()).toEqual(after);
    } finally {
      await restarted.$disconnect();
    }

    const p3 = await addProxy('p3', 5);
    await prisma.proxy.update({ where: { id: p1 }, data: { isActive: false } });
    const rebound = await recalculateAssignments(prisma);
    const now = await bindings();
    // p2's accounts stay put; p1's two and the direct one go to p3, the next proxy with room.
    expect(active.map((id) => now.get(id))).toEqual([p3, p3, p2, p2, p2, p3]);
    expect(rebound.changed).toBe(3);

    const listed = await listAssignments(prisma);
    expect(listed.map(({ proxyId, used, isActive }) => ({ proxyId, used, isActive }))).toEqual([
      { proxyId: p1, used: 0, isActive: false },
      { proxyId: p2, used: 3, isActive: true },
      { proxyId: p3, used: 3, isActive: true },
    ]);
    expect(listed[2]!.accounts.map((a) => a.id)).toEqual([active[0], active[1], active[5]]);
    expect(JSON.stringify(listed)).not.toContain('secret');
  });

  it('gives the same result when replicas recalculate at the same time', async () => {
    await addAccounts(4);
    const clients = [createPrisma(db.url), createPrisma(db.url), createPrisma(db.url)];
    try {
      const results = await Promise.all(clients.map((client) => recalculateAssignments(client)));
      const final = await bindings();
      for (const result of results) {
        expect(new Map(result.assignments.map((a) => [a.accountId, a.proxyId]))).toEqual(final);
      }
      // Serialised: only the first one to get the lock had anything to write (p3 had room for two).
      expect(results.map((r) => r.changed).sort()).toEqual([0, 0, 2]);
      const perProxy = await listAssignments(prisma);
      for (const proxy of perProxy) expect(proxy.used).toBeLessThanOrEqual(proxy.capacity);
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });

  it('commits a change to the pool with the bindings it causes, and neither when it fails', async () => {
    await recalculateAssignments(prisma);
    const waiting = await addAccounts(2);
    const p4 = await prisma.proxy.create({ data: { label: 'p4', proxyUrl: 'http://p4.example:3128', capacity: 10, isActive: false } });
    await recalculateAssignments(prisma);
    const before = await bindings();
    expect(waiting.map((id) => before.get(id))).toEqual([null, null]);
    // These two and the ones the previous test left without room.
    const unbound = [...before].filter(([, proxyId]) => proxyId === null).map(([id]) => id);
    const reenable = (tx: Parameters<PoolChange>[0]) => tx.proxy.update({ where: { id: p4.id }, data: { isActive: true } });

    await expect(
      recalculateAssignments(prisma, async (tx) => {
        await reenable(tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await prisma.proxy.findUniqueOrThrow({ where: { id: p4.id } })).isActive).toBe(false);
    const afterFailure = await bindings();
    expect(waiting.map((id) => afterFailure.get(id))).toEqual([null, null]);

    let seenOutside: boolean | undefined;
    const result = await recalculateAssignments(prisma, async (tx) => {
      await reenable(tx);
      // Another connection does not see the proxy active before its accounts are bound.
      seenOutside = (await prisma.proxy.findUniqueOrThrow({ where: { id: p4.id } })).isActive;
    });
    expect(seenOutside).toBe(false);
    const now = await bindings();
    expect(unbound.filter((id) => now.get(id) === p4.id).length).toBe(result.changed);
    expect(waiting.map((id) => now.get(id))).toEqual([p4.id, p4.id]);
  });
});
