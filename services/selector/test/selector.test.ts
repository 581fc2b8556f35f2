import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '@aigw/errors';
import { AffinityOutcome, ReportOutcomeRequest } from '@aigw/proto';
import { createSelectorWorld, seedProvider, type Replica, type SelectorWorld } from './selector-fixture.js';

let world: SelectorWorld;
let a: Replica;
let b: Replica;
let main: { providerId: number; accountIds: number[] };
let empty: { providerId: number };
let limited: { providerId: number; accountIds: number[] };
let refreshing: { providerId: number; accountIds: number[] };
let sticky: { providerId: number; accountIds: number[] };
let stickyLimited: { providerId: number; accountIds: number[] };
let stickyDisable: { providerId: number; accountIds: number[] };

// Mid-window and fixed, so that the per-minute limit test never straddles two windows.
const frozenNow = () => Math.floor(Date.now() / 60_000) * 60_000 + 30_000;

beforeAll(async () => {
  world = await createSelectorWorld();
  main = await seedProvider(world.prisma, 'main', 3);
  empty = await seedProvider(world.prisma, 'empty', 0);
  limited = await seedProvider(world.prisma, 'limited', 2);
  await world.prisma.account.update({ where: { id: limited.accountIds[0]! }, data: { rateLimitPerMin: 2 } });
  await world.prisma.account.update({ where: { id: limited.accountIds[1]! }, data: { rateLimitPerMin: 1 } });
  refreshing = await seedProvider(world.prisma, 'refreshing', 3);
  sticky = await seedProvider(world.prisma, 'sticky', 3);
  stickyLimited = await seedProvider(world.prisma, 'sticky-limited', 2);
  await world.prisma.account.update({ where: { id: stickyLimited.accountIds[0]! }, data: { rateLimitPerMin: 3 } });
  stickyDisable = await seedProvider(world.prisma, 'sticky-disable', 3);
  a = await world.startReplica({ now: frozenNow });
  b = await world.startReplica({ now: frozenNow });
});

afterAll(async () => {
  await world?.close();
});

const ids = (accounts: { id: number }[]) => accounts.map((account) => account.id);
const failure = (promise: Promise<unknown>) => promise.then(() => undefined as unknown as AppError, (error: unknown) => error as AppError);

describe('SelectAccount', () => {
  it('rotates 30 requests over 3 accounts 10/10/10 in ring order across two replicas', async () => {
    const picked: number[] = [];
    for (let i = 0; i < 30; i++) picked.push((await (i % 2 === 0 ? a : b).select(main.providerId, 'rotation-model')).id);
    const first = picked.indexOf(main.accountIds[0]!);
    const expected = Array.from({ length: 30 }, (_, i) => main.accountIds[(first + i) % 3]!);
    expect(picked).toEqual(expected);
    for (const id of main.accountIds) expect(picked.filter((p) => p === id)).toHaveLength(10);
  });

  it('keeps the 10/10/10 split when two replicas answer concurrently', async () => {
    const picks = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).select(main.providerId, 'concurrent-model')));
    for (const id of main.accountIds) expect(ids(picks).filter((p) => p === id)).toHaveLength(10);
  });

  it('returns the account with its provider, base URL and auth type, never a secret', async () => {
    const account = await a.select(main.providerId, 'shape-model');
    expect(account).toMatchObject({
      providerId: main.providerId,
      providerName: 'main',
      providerKind: 'openai',
      baseUrl: 'https://main.example/v1',
      authType: 'api_key',
      proxyId: 0,
    });
    expect(JSON.stringify(account)).not.toContain('v1.not.read.here');
  });

  it('never returns an excluded account', async () => {
    const [first, second, third] = main.accountIds as [number, number, number];
    const picks = await Promise.all(Array.from({ length: 6 }, () => a.select(main.providerId, 'exclude-model', [first])));
    expect(new Set(ids(picks))).toEqual(new Set([second, third]));
    const error = await failure(a.select(main.providerId, 'exclude-model', [first, second, third]));
    expect(error.code).toBe('ACCOUNTS_EXHAUSTED');
  });

  it('fails with NO_ACCOUNT for a provider without active accounts or an unknown provider', async () => {
    expect(await failure(a.select(empty.providerId, 'm'))).toMatchObject({ code: 'NO_ACCOUNT', message: 'no active account for provider empty' });
    expect(await failure(b.select(99_999, 'm'))).toMatchObject({ code: 'NO_ACCOUNT', message: 'no active account for provider 99999' });
  });

  it('holds each account to its per-minute limit, then reports the next window', async () => {
    const [twice, once] = limited.accountIds as [number, number];
    const picks = [];
    for (let i = 0; i < 3; i++) picks.push(await (i % 2 === 0 ? a : b).select(limited.providerId, 'limit-model'));
    expect(ids(picks).sort()).toEqual([twice, twice, once].sort());
    const error = await failure(a.select(limited.providerId, 'limit-model'));
    expect(error.code).toBe('ACCOUNTS_EXHAUSTED');
    expect(error.retryAfterMs).toBe(30_000);
    // Another model has its own cooldowns but the same per-account budget.
    expect((await failure(b.select(limited.providerId, 'other-model'))).code).toBe('ACCOUNTS_EXHAUSTED');
  });
});

describe('ReportOutcome and cooldowns', () => {
  it('skips an account in cooldown and brings it back when the cooldown expires', async () => {
    const [cooled, ...others] = main.accountIds as [number, number, number];
    expect(await a.report(cooled, 'cool-model', 429, 400)).toBe(400);
    const during = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).select(main.providerId, 'cool-model')));
    expect(new Set(ids(during))).toEqual(new Set(others));
    // The cooldown is per model: the account still serves other models.
    const elsewhere = await Promise.all(Array.from({ length: 3 }, () => a.select(main.providerId, 'warm-model')));
    expect(ids(elsewhere)).toContain(cooled);
    await expect
      .poll(async () => ids(await Promise.all(Array.from({ length: 3 }, () => a.select(main.providerId, 'cool-model')))), { timeout: 10_000, interval: 100 })
      .toContain(cooled);
  });

  it('fails with ACCOUNTS_EXHAUSTED and the soonest cooldown as retry hint', async () => {
    const [x, y, z] = main.accountIds as [number, number, number];
    await a.report(x, 'hot-model', 429, 50_000);
    await b.report(y, 'hot-model', 429, 20_000);
    await a.report(z, 'hot-model', 429, 40_000);
    const error = await failure(b.select(main.providerId, 'hot-model'));
    expect(error.code).toBe('ACCOUNTS_EXHAUSTED');
    expect(error.retryAfterMs).toBeGreaterThan(10_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(20_000);
  });

  it('backs off exponentially on consecutive failures, resets on success and parks bad credentials', async () => {
    const account = main.accountIds[1]!;
    expect(await a.report(account, 'flaky-model', 503)).toBe(1_000);
    expect(await b.report(account, 'flaky-model', 0)).toBe(2_000);
    expect(await a.report(account, 'flaky-model', 429)).toBe(4_000);
    expect(await b.report(account, 'flaky-model', 200)).toBe(0);
    expect(await a.report(account, 'flaky-model', 502)).toBe(1_000);
    expect(await a.report(account, 'auth-model', 401)).toBe(30_000);
    expect(await a.report(account, 'bad-request-model', 400)).toBe(0);
    const ttl = await world.rawRedis.pttl(`${world.prefix}cooldown:{main}:${account}:auth-model`);
    expect(ttl).toBeGreaterThan(20_000);
  });

  it('ignores outcomes of accounts it does not know', async () => {
    expect(await a.report(99_999, 'm', 503)).toBe(0);
  });
});

describe('Mux', () => {
  const deadline = () => Date.now() + 5_000;

  it('rotates, reports and refuses over the multiplexed stream exactly as the unary calls do', async () => {
    const select = (replica: Replica, model: string) => replica.mux.call({ select: { providerId: main.providerId, model, excludeAccountIds: [], affinityKey: '' } }, deadline());
    const picks = await Promise.all(Array.from({ length: 30 }, (_, i) => select(i % 2 === 0 ? a : b, 'mux-model')));
    for (const id of main.accountIds) expect(picks.filter((p) => p.select?.account?.id === id)).toHaveLength(10);

    const [x, y, z] = main.accountIds as [number, number, number];
    for (const id of [x, y, z]) {
      const report = await a.mux.call({ report: ReportOutcomeRequest.fromPartial({ accountId: id, model: 'mux-hot', statusCode: 429, retryAfterMs: 30_000 }) }, deadline());
      expect(report.report?.cooldownMs).toBe(30_000);
    }
    const error = await failure(select(b, 'mux-hot'));
    expect(error.code).toBe('ACCOUNTS_EXHAUSTED');
    expect(error.retryAfterMs).toBeGreaterThan(20_000);
    expect((await failure(a.mux.call({ select: { providerId: empty.providerId, model: 'm', excludeAccountIds: [], affinityKey: '' } }, deadline()))).code).toBe('NO_ACCOUNT');
  });
});

describe('session affinity', () => {
  const { AFFINITY_OUTCOME_HIT: HIT, AFFINITY_OUTCOME_NEW_BINDING: NEW, AFFINITY_OUTCOME_REBOUND: REBOUND, AFFINITY_OUTCOME_NONE: NONE } = AffinityOutcome;

  it('keeps a conversation on its account across replicas, and new conversations still rotate 10/10/10', async () => {
    // Ten conversations start, then each sends nine more turns, alternating replicas and interleaved with
    // conversations that start meanwhile.
    const home = new Map<string, number>();
    for (let c = 0; c < 10; c++) {
      const first = await (c % 2 ? a : b).selectFor(`k1:s:conv-${c}`, sticky.providerId, 'sticky-model');
      expect(first.affinity).toBe(NEW);
      home.set(`conv-${c}`, first.id);
    }
    for (let turn = 1; turn < 10; turn++) {
      const turns = await Promise.all(
        Array.from({ length: 10 }, (_, c) => (c % 2 === turn % 2 ? a : b).selectFor(`k1:s:conv-${c}`, sticky.providerId, 'sticky-model')),
      );
      turns.forEach((pick, c) => expect(pick, `conversation ${c}, turn ${turn}`).toEqual({ id: home.get(`conv-${c}`), affinity: HIT }));
      const newcomers = await Promise.all(
        Array.from({ length: 2 }, (_, j) => (j ? a : b).selectFor(`k1:s:late-${turn}-${j}`, sticky.providerId, 'sticky-model')),
      );
      newcomers.forEach((pick, j) => {
        expect(pick.affinity).toBe(NEW);
        home.set(`late-${turn}-${j}`, pick.id);
      });
    }
    // 10 + 18 + 2 more = 30 new conversations, placed by the rotation alone.
    for (const [j, replica] of [a, b].entries()) home.set(`last-${j}`, (await replica.selectFor(`k1:s:last-${j}`, sticky.providerId, 'sticky-model')).id);
    expect(home.size).toBe(30);
    for (const id of sticky.accountIds) expect([...home.values()].filter((h) => h === id)).toHaveLength(10);
  });

  it('hands a conversation on when its account cools down, is excluded or is over its limit, and keeps it there', async () => {
    const key = 'k1:s:handoff';
    const first = await a.selectFor(key, sticky.providerId, 'handoff-model');
    expect(first.affinity).toBe(NEW);
    await b.report(first.id, 'handoff-model', 429, 60_000);
    const moved = await b.selectFor(key, sticky.providerId, 'handoff-model');
    expect(moved.affinity).toBe(REBOUND);
    expect(moved.id).not.toBe(first.id);
    for (const replica of [a, b, a]) expect(await replica.selectFor(key, sticky.providerId, 'handoff-model')).toEqual({ id: moved.id, affinity: HIT });

    // Failover inside one request: the bound account is excluded.
    const again = await a.selectFor(key, sticky.providerId, 'handoff-model', [moved.id]);
    expect(again.affinity).toBe(REBOUND);
    expect([first.id, moved.id]).not.toContain(again.id);
    expect(await b.selectFor(key, sticky.providerId, 'handoff-model')).toEqual({ id: again.id, affinity: HIT });

    // An account at its per-minute limit (3) hands on too.
    const [limitedId, freeId] = stickyLimited.accountIds as [number, number];
    const bound = await a.selectFor('k1:s:limit', stickyLimited.providerId, 'limit-model-2', [freeId]);
    expect(bound).toEqual({ id: limitedId, affinity: NEW });
    expect(await b.selectFor('k1:s:limit', stickyLimited.providerId, 'limit-model-2')).toEqual({ id: limitedId, affinity: HIT });
    expect(await a.selectFor('k1:s:limit', stickyLimited.providerId, 'limit-model-2')).toEqual({ id: limitedId, affinity: HIT });
    expect(await b.selectFor('k1:s:limit', stickyLimited.providerId, 'limit-model-2')).toEqual({ id: freeId, affinity: REBOUND });
  });

  it('hands a conversation on when its account is disabled', async () => {
    const first = await a.selectFor('k1:s:disable', stickyDisable.providerId, 'disable-model');
    await world.prisma.account.update({ where: { id: first.id }, data: { isActive: false } });
    world.publishAccountChange();
    for (const replica of [a, b]) {
      await expect.poll(async () => (await replica.selectFor('k2:s:probe', stickyDisable.providerId, 'probe-model', [])).id, { timeout: 10_000, interval: 50 }).not.toBe(first.id);
    }
    const moved = await b.selectFor('k1:s:disable', stickyDisable.providerId, 'disable-model');
    expect(moved.affinity).toBe(REBOUND);
    expect(moved.id).not.toBe(first.id);
  });

  it('keeps the binding in Redis under the provider hash tag with its TTL, refreshed on use', async () => {
    const key = `${world.prefix}affinity:{sticky}:ttl-model:k1:s:ttl`;
    const first = await a.selectFor('k1:s:ttl', sticky.providerId, 'ttl-model');
    expect(await world.rawRedis.get(key)).toBe(String(first.id));
    await world.rawRedis.pexpire(key, 5_000);
    await b.selectFor('k1:s:ttl', sticky.providerId, 'ttl-model');
    expect(await world.rawRedis.pttl(key)).toBeGreaterThan(3_500_000);
  });

  it('without a key is plain round robin, and refuses a key that is not one of ingress\'s digests', async () => {
    expect((await a.selectFor('', sticky.providerId, 'plain-model')).affinity).toBe(NONE);
    expect((await failure(a.selectFor('x'.repeat(201), sticky.providerId, 'plain-model'))).code).toBe('INVALID_REQUEST');
    const viaMux = await b.mux.call({ select: { providerId: sticky.providerId, model: 'mux-sticky', excludeAccountIds: [], affinityKey: 'k1:s:mux' } }, Date.now() + 5_000);
    expect(viaMux.select?.affinity).toBe(NEW);
    const again = await a.mux.call({ select: { providerId: sticky.providerId, model: 'mux-sticky', excludeAccountIds: [], affinityKey: 'k1:s:mux' } }, Date.now() + 5_000);
    expect(again.select).toEqual({ account: viaMux.select?.account, affinity: HIT });
  });
});

describe('account cache', () => {
  it('drops a deactivated account and picks up a new one after a config-changed message', async () => {
    const [kept, dropped, alsoKept] = refreshing.accountIds as [number, number, number];
    const before = await Promise.all(Array.from({ length: 3 }, () => a.select(refreshing.providerId, 'refresh-model')));
    expect(new Set(ids(before))).toEqual(new Set([kept, dropped, alsoKept]));

    await world.prisma.account.update({ where: { id: dropped }, data: { isActive: false } });
    const added = await world.prisma.account.create({
      data: { providerId: refreshing.providerId, label: 'refreshing-new', authType: 'api_key', authData: 'v1.x.y.z', egress: 'direct' },
    });
    world.publishAccountChange();

    for (const replica of [a, b]) {
      await expect
        .poll(async () => new Set(ids(await Promise.all(Array.from({ length: 6 }, () => replica.select(refreshing.providerId, 'refresh-model'))))), {
          timeout: 10_000,
          interval: 50,
        })
        .toEqual(new Set([kept, alsoKept, added.id]));
    }
  });
});
