import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '@aigw/db';
import { recalculateAssignments } from '@aigw/proxy-pool';
import type { CredentialCipher } from '@aigw/secrets';

// Demo data that makes a request work with no outside account: every provider points at the upstream
// emulator, OAuth accounts refresh at the OAuth emulator, and accounts are bound to the forward proxies.
// Secrets are random per seed, so a leak in a log line is always detectable and never a real credential.

export interface SeedOptions {
  /** Base URL of the upstream emulator, e.g. http://127.0.0.1:9100 */
  upstreamUrl: string;
  /** The OAuth emulator's token endpoint. */
  tokenUrl: string;
  /** Forward proxy URLs (may carry Basic credentials): the first holds the OAuth accounts (3), each other one 4. */
  proxyUrls: string[];
  /** Client key to make sure exists; a random `aigw-…` key is created when absent. */
  demoKey?: string;
}

export interface SeedResult {
  /** Plaintext client key: print it, never log it. */
  demoKey: string;
  /** False when the database already had providers and was left alone. */
  seeded: boolean;
}

/**
 * Default routes of DESIGN §3: model pattern → provider name. The codex models (what Codex CLI asks for) go to
 * OpenAI's Responses API, the only wire OpenAI serves them on; the embedding models go to OpenAI and to the Gemini
 * API (Cloud Code has no embeddings). The longer pattern wins over `gpt-*` and `gemini-*`.
 */
export const DEMO_ROUTES: ReadonlyArray<{ pattern: string; provider: string }> = [
  { pattern: 'gemini-*', provider: 'antigravity' },
  { pattern: 'claude-*', provider: 'antigravity' },
  { pattern: 'gpt-*', provider: 'openai' },
  { pattern: 'gpt-5*-codex*', provider: 'openai-responses' },
  { pattern: 'glm-*', provider: 'glm' },
  { pattern: 'text-embedding-*', provider: 'openai' },
  { pattern: 'gemini-embedding-*', provider: 'gemini' },
];

const ANTIGRAVITY_ACCOUNTS = 3;
/**
 * Fill-first binds accounts in id order: the first proxy takes exactly the antigravity (OAuth) accounts, the
 * next one the five API-key accounts (openai ×2, openai-responses, glm, gemini), so every demo account has a proxy.
 */
const PROXY_CAPACITIES = [ANTIGRAVITY_ACCOUNTS, 5] as const;
const OPENAI_ACCOUNTS = 2;

const secret = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

/** A new client key in the gateway's format: `aigw-` + 32 random bytes, base64url. */
export function newClientKey(): string {
  return `aigw-${randomBytes(32).toString('base64url')}`;
}

/** Seeds the demo providers, routes, accounts and proxies into an empty database and makes sure the demo key exists. */
export async function seedDemo(prisma: PrismaClient, cipher: CredentialCipher, options: SeedOptions): Promise<SeedResult> {
  const seeded = (await prisma.provider.count()) === 0;
  if (seeded) {
    await seedProviders(prisma, cipher, options);
    await recalculateAssignments(prisma);
  }
  const demoKey = options.demoKey ?? newClientKey();
  await ensureClientKey(prisma, demoKey, 'demo');
  return { demoKey, seeded };
}

async function seedProviders(prisma: PrismaClient, cipher: CredentialCipher, options: SeedOptions): Promise<void> {
  const upstream = options.upstreamUrl.replace(/\/+$/, '');
  await prisma.$transaction(async (tx) => {
    const antigravity = await tx.provider.create({ data: { name: 'antigravity', kind: 'antigravity', baseUrl: upstream } });
    const openai = await tx.provider.create({ data: { name: 'openai', kind: 'openai', baseUrl: `${upstream}/v1` } });
    // GLM at the path Z.ai and Zhipu serve their OpenAI-compatible API on, so its model list is GLM's own.
    const glm = await tx.provider.create({ data: { name: 'glm', kind: 'openai', baseUrl: `${upstream}/api/paas/v4` } });
    // OpenAI again, speaking the Responses API upstream (providers.wire).
    const responses = await tx.provider.create({ data: { name: 'openai-responses', kind: 'openai', wire: 'responses', baseUrl: `${upstream}/v1` } });
    // The Gemini API (AI Studio, API key), for what Cloud Code does not serve: embeddings.
    const gemini = await tx.provider.create({ data: { name: 'gemini', kind: 'gemini', baseUrl: upstream } });
    const providerIds: Record<string, number> = {
      antigravity: antigravity.id,
      openai: openai.id,
      'openai-responses': responses.id,
      glm: glm.id,
      gemini: gemini.id,
    };

    await tx.modelRoute.createMany({
      data: DEMO_ROUTES.map((route) => ({ pattern: route.pattern, providerId: providerIds[route.provider] ?? 0 })),
    });
    // One at a time so that ids follow the listed order: round robin and fill-first go by id.
    for (let n = 1; n <= ANTIGRAVITY_ACCOUNTS; n++) {
      await tx.account.create({
        data: {
          providerId: antigravity.id,
          label: `antigravity-demo-${n}`,
          authType: 'oauth',
          authData: cipher.encryptJson({
            clientId: `demo-antigravity-${n}`,
            clientSecret: secret('demo-secret-'),
            refreshToken: secret('1//demo-refresh-'),
            tokenUrl: options.tokenUrl,
          }),
          settings: JSON.stringify({ project: `demo-project-${n}` }),
        },
      });
    }
    for (let n = 1; n <= OPENAI_ACCOUNTS; n++) {
      await tx.account.create({
        data: { providerId: openai.id, label: `openai-demo-${n}`, authType: 'api_key', authData: cipher.encryptJson({ apiKey: secret('sk-demo-') }) },
      });
    }
    await tx.account.create({
      data: { providerId: responses.id, label: 'openai-responses-demo-1', authType: 'api_key', authData: cipher.encryptJson({ apiKey: secret('sk-demo-') }) },
    });
    await tx.account.create({
      data: { providerId: glm.id, label: 'glm-demo-1', authType: 'api_key', authData: cipher.encryptJson({ apiKey: secret('glm-demo-') }) },
    });
    await tx.account.create({
      data: { providerId: gemini.id, label: 'gemini-demo-1', authType: 'api_key', authData: cipher.encryptJson({ apiKey: secret('AIza-demo-') }) },
    });
    for (const [i, proxyUrl] of options.proxyUrls.entries()) {
      await tx.proxy.create({ data: { label: `proxy-${i + 1}`, proxyUrl, capacity: PROXY_CAPACITIES[Math.min(i, 1)] } });
    }
  });
}

/** Stores a client key (as its SHA-256) unless it is already there. */
export async function ensureClientKey(prisma: PrismaClient, key: string, name: string): Promise<void> {
  const keyHash = createHash('sha256').update(key, 'utf8').digest('hex');
  const existing = await prisma.apiKey.findUnique({ where: { keyHash } });
  if (existing === null) await prisma.apiKey.create({ data: { name, keyHash, prefix: key.slice(0, 12) } });
}
