import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, createTestDatabase, type PrismaClient, type TestDatabase } from '@aigw/db';
import { CredentialCipher, isEncrypted } from '@aigw/secrets';
import { seedDemo } from '../src/seed.js';

const options = {
  upstreamUrl: 'http://127.0.0.1:9100/',
  tokenUrl: 'http://127.0.0.1:9101/token',
  proxyUrls: ['http://demo:pw-one-123@127.0.0.1:9102', 'http://demo:pw-two-456@127.0.0.1:9103'],
};

describe('seedDemo', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const cipher = new CredentialCipher(randomBytes(32));

  beforeAll(async () => {
    db = await createTestDatabase('aigw_dev_seed');
    prisma = createPrisma(db.url, { connectionLimit: 2 });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('seeds the providers, default routes, accounts and proxies, and returns a working demo key', async () => {
    const result = await seedDemo(prisma, cipher, options);
    expect(result.seeded).toBe(true);
    expect(result.demoKey).toMatch(/^aigw-[A-Za-z0-9_-]{43}$/);

    const providers = await prisma.provider.findMany({ orderBy: { id: 'asc' } });
    expect(providers.map((p) => [p.name, p.kind, p.wire, p.baseUrl])).toEqual([
      ['antigravity', 'antigravity', null, 'http://127.0.0.1:9100'],
      ['openai', 'openai', null, 'http://127.0.0.1:9100/v1'],
      ['glm', 'openai', null, 'http://127.0.0.1:9100/api/paas/v4'],
      ['openai-responses', 'openai', 'responses', 'http://127.0.0.1:9100/v1'],
      ['gemini', 'gemini', null, 'http://127.0.0.1:9100'],
    ]);
    const names = new Map(providers.map((p) => [p.id, p.name]));
    const routes = await prisma.modelRoute.findMany({ orderBy: { id: 'asc' } });
    expect(routes.map((r) => [r.pattern, names.get(r.providerId)])).toEqual([
      ['gemini-*', 'antigravity'],
      ['claude-*', 'antigravity'],
      ['gpt-*', 'openai'],
      ['gpt-5*-codex*', 'openai-responses'],
      ['glm-*', 'glm'],
      ['text-embedding-*', 'openai'],
      ['gemini-embedding-*', 'gemini'],
    ]);

    const accounts = await prisma.account.findMany({ orderBy: { id: 'asc' } });
    expect(accounts.map((a) => [names.get(a.providerId), a.authType])).toEqual([
      ['antigravity', 'oauth'],
      ['antigravity', 'oauth'],
      ['antigravity', 'oauth'],
      ['openai', 'api_key'],
      ['openai', 'api_key'],
      ['openai-responses', 'api_key'],
      ['glm', 'api_key'],
      ['gemini', 'api_key'],
    ]);
    for (const [i, account] of accounts.slice(0, 3).entries()) {
      expect(isEncrypted(account.authData)).toBe(true);
      expect(cipher.decryptJson(account.authData)).toEqual({
        clientId: `demo-antigravity-${i + 1}`,
        clientSecret: expect.any(String),
        refreshToken: expect.stringMatching(/^1\/\/demo-refresh-/),
        tokenUrl: options.tokenUrl,
      });
      expect(JSON.parse(account.settings ?? '{}')).toEqual({ project: `demo-project-${i + 1}` });
    }
    for (const account of accounts.slice(3)) expect(cipher.decryptJson(account.authData)).toEqual({ apiKey: expect.any(String) });

    // Fill-first: the first proxy takes the three OAuth accounts, the second the five API-key ones.
    const proxies = await prisma.proxy.findMany({ orderBy: { id: 'asc' } });
    expect(proxies.map((p) => [p.proxyUrl, p.capacity])).toEqual([
      [options.proxyUrls[0], 3],
      [options.proxyUrls[1], 5],
    ]);
    const [first, second] = [proxies[0]?.id, proxies[1]?.id];
    expect(accounts.map((a) => a.proxyId)).toEqual([first, first, first, second, second, second, second, second]);

    const keyHash = createHash('sha256').update(result.demoKey).digest('hex');
    const key = await prisma.apiKey.findUniqueOrThrow({ where: { keyHash } });
    expect(key.revokedAt).toBeNull();
    expect(result.demoKey.startsWith(key.prefix)).toBe(true);
  });

  it('leaves a seeded database alone but makes sure a given demo key exists', async () => {
    const before = await prisma.account.count();
    const result = await seedDemo(prisma, cipher, { ...options, demoKey: 'aigw-fixed-demo-key-for-this-test' });
    expect(result).toEqual({ seeded: false, demoKey: 'aigw-fixed-demo-key-for-this-test' });
    expect(await prisma.account.count()).toBe(before);
    expect(await prisma.provider.count()).toBe(5);
    const keyHash = createHash('sha256').update('aigw-fixed-demo-key-for-this-test').digest('hex');
    expect(await prisma.apiKey.count({ where: { keyHash } })).toBe(1);
    await seedDemo(prisma, cipher, { ...options, demoKey: 'aigw-fixed-demo-key-for-this-test' });
    expect(await prisma.apiKey.count({ where: { keyHash } })).toBe(1);
  });
});
