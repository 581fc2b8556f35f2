import { Router } from 'express';
import type { Account, PrismaClient } from '@aigw/db';
import { AppError } from '@aigw/errors';
import { z } from '@aigw/config';
import { AUTH_TYPES, parseCredentials, type AuthType } from './account-credentials.js';
import type { AdminDeps } from './admin-deps.js';
import { resourceDocs } from './openapi/route-docs.js';
import { checkEgress } from './egress-field.js';
import { found, idParam } from './admin-params.js';
import { providerRefFields, resolveProviderId } from './provider-ref.js';

const settingsSchema = z.record(z.string(), z.unknown()).nullable();
const accountFields = {
  label: z.string().trim().min(1).max(128),
  authType: z.enum(AUTH_TYPES),
  credentials: z.unknown(),
  baseUrl: z.url({ protocol: /^https?$/ }).max(512).nullable(),
  settings: settingsSchema,
  isActive: z.boolean(),
  rateLimitPerMin: z.number().int().positive().nullable(),
  /** pool: only through a proxy of the pool (never direct); direct: the operator chose no proxy. */
  egress: z.enum(['pool', 'direct']),
};

const createSchema = z.strictObject({
  ...providerRefFields,
  ...accountFields,
  baseUrl: accountFields.baseUrl.optional(),
  settings: accountFields.settings.optional(),
  isActive: accountFields.isActive.optional(),
  rateLimitPerMin: accountFields.rateLimitPerMin.optional(),
  egress: accountFields.egress.optional(),
});
const patchSchema = z.strictObject({ ...providerRefFields, ...accountFields }).partial();

/** The OAuth token endpoint in parsed credentials, if they are OAuth ones. */
function tokenUrlOf(credentials: Record<string, unknown> | undefined): string | undefined {
  const tokenUrl = credentials?.['tokenUrl'];
  return typeof tokenUrl === 'string' ? tokenUrl : undefined;
}

export type AccountWithProvider = Account & { provider: { name: string } };

/** Stored settings JSON; a row edited by hand into invalid JSON is shown as its text rather than failing the list. */
function parseSettings(settings: string | null): unknown {
  if (settings === null) return null;
  try {
    return JSON.parse(settings) as unknown;
  } catch {
    return settings;
  }
}

/** An account as the admin API shows it: never auth_data. */
export function presentAccount(account: AccountWithProvider) {
  return {
    id: account.id,
    providerId: account.providerId,
    provider: account.provider.name,
    label: account.label,
    authType: account.authType,
    baseUrl: account.baseUrl,
    settings: parseSettings(account.settings),
    proxyId: account.proxyId,
    egress: account.egress,
    // Active, bound to the pool, no proxy: selector leaves it out until the pool has room (DESIGN §9).
    waitingForProxy: account.isActive && account.egress !== 'direct' && account.proxyId === null,
    isActive: account.isActive,
    rateLimitPerMin: account.rateLimitPerMin,
    lastUsedAt: account.lastUsedAt,
    usageCount: account.usageCount,
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}

const withProvider = { provider: { select: { name: true } } } as const;

export async function findAccount(prisma: PrismaClient, id: number): Promise<AccountWithProvider> {
  return found(await prisma.account.findUnique({ where: { id }, include: withProvider }), 'account');
}

/** /accounts: upstream logins, credentials encrypted on the way in and never shown on the way out. */
export function accountsApi({ prisma, cipher, notify, proxyPool, egress }: AdminDeps): Router {
  const router = Router();
  // New, removed or (de)activated accounts change how proxies are shared, and every replica must know.
  const afterChange = async (id: number, rebind: boolean) => {
    notify({ entity: 'account', id });
    if (rebind && (await proxyPool.recalculate(prisma)).changed > 0) notify({ entity: 'account' });
  };

  router.get('/', async (_req, res) => {
    const accounts = await prisma.account.findMany({ include: withProvider, orderBy: { id: 'asc' } });
    res.json({ data: accounts.map(presentAccount) });
  });

  router.get('/:id', async (req, res) => {
    res.json(presentAccount(await findAccount(prisma, idParam(req.params.id))));
  });

  router.post('/', async (req, res) => {
    const body = createSchema.parse(req.body);
    const credentials = parseCredentials(body.authType, body.credentials);
    checkEgress(egress, 'baseUrl', body.baseUrl);
    checkEgress(egress, 'credentials.tokenUrl', tokenUrlOf(credentials));
    const providerId = await resolveProviderId(prisma, body);
    const created = await prisma.account.create({
      data: {
        providerId,
        label: body.label,
        authType: body.authType,
        authData: cipher.encryptJson(credentials),
        baseUrl: body.baseUrl ?? null,
        settings: body.settings ? JSON.stringify(body.settings) : null,
        isActive: body.isActive ?? true,
        rateLimitPerMin: body.rateLimitPerMin ?? null,
        egress: body.egress ?? 'pool',
      },
    });
    await afterChange(created.id, true);
    res.status(201).json(presentAccount(await findAccount(prisma, created.id)));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const body = patchSchema.parse(req.body);
    checkEgress(egress, 'baseUrl', body.baseUrl);
    const existing = await findAccount(prisma, id);
    const authType = (body.authType ?? existing.authType) as AuthType;
    const credentials = body.credentials === undefined ? undefined : parseCredentials(authType, body.credentials);
    checkEgress(egress, 'credentials.tokenUrl', tokenUrlOf(credentials));
    if (body.authType !== undefined && body.authType !== existing.authType && body.credentials === undefined) {
      throw new AppError('INVALID_REQUEST', 'changing authType needs new credentials', { details: { param: 'credentials' } });
    }
    const changesProvider = body.providerId !== undefined || body.provider !== undefined;
    await prisma.account.update({
      where: { id },
      data: {
        providerId: changesProvider ? await resolveProviderId(prisma, body) : undefined,
        label: body.label,
        authType: body.authType,
        authData: credentials === undefined ? undefined : cipher.encryptJson(credentials),
        baseUrl: body.baseUrl,
        settings: body.settings === undefined ? undefined : body.settings === null ? null : JSON.stringify(body.settings),
        isActive: body.isActive,
        rateLimitPerMin: body.rateLimitPerMin,
        egress: body.egress,
      },
    });
    const rebind = (body.isActive !== undefined && body.isActive !== existing.isActive) || (body.egress !== undefined && body.egress !== existing.egress);
    await afterChange(id, rebind);
    res.json(presentAccount(await findAccount(prisma, id)));
  });

  router.delete('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    await findAccount(prisma, id);
    await prisma.account.delete({ where: { id } });
    await afterChange(id, true);
    res.status(204).end();
  });

  return router;
}

/** The routes above, for the OpenAPI document (admin-openapi.ts). */
export const accountsDocs = resourceDocs('accounts', [
  { method: 'get', path: '/', summary: 'List accounts (credentials never shown)' },
  { method: 'get', path: '/:id', summary: 'One account' },
  { method: 'post', path: '/', summary: 'Create an account', body: createSchema, status: 201 },
  { method: 'patch', path: '/:id', summary: 'Change an account', body: patchSchema },
  { method: 'delete', path: '/:id', summary: 'Delete an account' },
]);
