import { Router } from 'express';
import type { PrismaClient, Proxy } from '@aigw/db';
import { z } from '@aigw/config';
import type { AdminDeps } from './admin-deps.js';
import { resourceDocs } from './openapi/route-docs.js';
import { checkEgress } from './egress-field.js';
import { found, idParam } from './admin-params.js';
import { maskProxyUrl, proxyUrlSchema } from './proxy-url.js';

const proxyFields = {
  label: z.string().trim().min(1).max(128),
  proxyUrl: proxyUrlSchema,
  capacity: z.number().int().min(0).max(100_000),
  maxFailures: z.number().int().min(1).max(100_000),
  isActive: z.boolean(),
};
const createSchema = z.strictObject(proxyFields).partial({ capacity: true, maxFailures: true, isActive: true });
const patchSchema = z.strictObject(proxyFields).partial();

/** A proxy as the admin API shows it: the password masked. */
function present(proxy: Proxy & { _count?: { accounts: number } }) {
  return {
    id: proxy.id,
    label: proxy.label,
    proxyUrl: maskProxyUrl(proxy.proxyUrl),
    capacity: proxy.capacity,
    maxFailures: proxy.maxFailures,
    failureCount: proxy.failureCount,
    isActive: proxy.isActive,
    accounts: proxy._count?.accounts ?? 0,
    createdAt: proxy.createdAt,
    updatedAt: proxy.updatedAt,
  };
}

const withCount = { _count: { select: { accounts: true } } } as const;

async function findProxy(prisma: PrismaClient, id: number) {
  return found(await prisma.proxy.findUnique({ where: { id }, include: withCount }), 'proxy');
}

/** /proxies: the outbound proxy pool, its account assignments and their recalculation. */
export function proxiesApi({ prisma, notify, proxyPool, egress }: AdminDeps): Router {
  const router = Router();
  const rebind = async () => {
    const result = await proxyPool.recalculate(prisma);
    if (result.changed > 0) notify({ entity: 'account' });
    return result;
  };

  router.get('/', async (_req, res) => {
    const proxies = await prisma.proxy.findMany({ include: withCount, orderBy: { id: 'asc' } });
    res.json({ data: proxies.map(present) });
  });

  // Static paths before /:id, which would otherwise swallow them.
  router.get('/assignments', async (_req, res) => {
    res.json({ data: await proxyPool.list(prisma) });
  });

  router.post('/recalculate', async (_req, res) => {
    res.json(await rebind());
  });

  router.get('/:id', async (req, res) => {
    res.json(present(await findProxy(prisma, idParam(req.params.id))));
  });

  router.post('/', async (req, res) => {
    const body = createSchema.parse(req.body);
    checkEgress(egress, 'proxyUrl', body.proxyUrl);
    const created = await prisma.proxy.create({ data: body });
    notify({ entity: 'proxy', id: created.id });
    await rebind();
    res.status(201).json(present(await findProxy(prisma, created.id)));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const body = patchSchema.parse(req.body);
    checkEgress(egress, 'proxyUrl', body.proxyUrl);
    const existing = await findProxy(prisma, id);
    const reactivated = body.isActive === true && !existing.isActive;
    // Re-enabling a proxy that was disabled for failing starts its failure count afresh.
    await prisma.proxy.update({ where: { id }, data: { ...body, ...(reactivated ? { failureCount: 0 } : {}) } });
    notify({ entity: 'proxy', id });
    const sharesChanged =
      (body.isActive !== undefined && body.isActive !== existing.isActive) ||
      (body.capacity !== undefined && body.capacity !== existing.capacity);
    if (sharesChanged) await rebind();
    res.json(present(await findProxy(prisma, id)));
  });

  router.delete('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const existing = await findProxy(prisma, id);
    await prisma.proxy.delete({ where: { id } });
    notify({ entity: 'proxy', id });
    // Its accounts were unbound by the foreign key (SET NULL) even if the recalculation binds none of them.
    if (existing._count.accounts > 0) notify({ entity: 'account' });
    await rebind();
    res.status(204).end();
  });

  return router;
}

/** The routes above, for the OpenAPI document (admin-openapi.ts). */
export const proxiesDocs = resourceDocs('proxies', [
  { method: 'get', path: '/', summary: 'List proxies with health' },
  { method: 'get', path: '/assignments', summary: 'Accounts bound to each proxy' },
  { method: 'post', path: '/recalculate', summary: 'Rebind accounts to the healthy proxies' },
  { method: 'get', path: '/:id', summary: 'One proxy' },
  { method: 'post', path: '/', summary: 'Create a proxy', body: createSchema, status: 201 },
  { method: 'patch', path: '/:id', summary: 'Change a proxy (disable, enable, capacity)', body: patchSchema },
  { method: 'delete', path: '/:id', summary: 'Delete a proxy' },
]);
