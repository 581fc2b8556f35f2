import { Router } from 'express';
import type { ModelRoute, PrismaClient } from '@aigw/db';
import { z } from '@aigw/config';
import type { AdminDeps } from './admin-deps.js';
import { resourceDocs } from './openapi/route-docs.js';
import { AppError } from '@aigw/errors';
import { parsePriceOverride, priceOverrideSchema, storePriceOverride as storePrice } from '@aigw/pricing';
import { compilePattern } from '../routing/route-table.js';
import { parseModelNames, storeModelNames } from '../routing/model-names.js';
import { found, idParam } from './admin-params.js';
import { modelName, modelNamesField } from './model-names-field.js';
import { providerRefFields, resolveProviderId } from './provider-ref.js';

const routeFields = {
  pattern: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._:/@+*-]+$/, 'letters, digits, * and . _ : / @ + - only'),
  upstreamModel: modelName.nullable(),
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  fallbackModel: modelName.nullable(),
  /** Names to list for a wildcard route (each must match its pattern). */
  models: modelNamesField,
  sessionAffinity: z.boolean(),
  isActive: z.boolean(),
  /** The operator's price for this route's models (USD per million tokens); null = the provider's, else the price table. */
  price: priceOverrideSchema.nullable(),
};
const createSchema = z
  .strictObject({ ...providerRefFields, ...routeFields })
  .partial({ upstreamModel: true, priority: true, fallbackModel: true, models: true, sessionAffinity: true, isActive: true, price: true });
const patchSchema = z.strictObject({ ...providerRefFields, ...routeFields }).partial();

const withProvider = { provider: { select: { name: true } } } as const;

function present(route: ModelRoute & { provider: { name: string } }) {
  return {
    id: route.id,
    pattern: route.pattern,
    providerId: route.providerId,
    provider: route.provider.name,
    upstreamModel: route.upstreamModel,
    priority: route.priority,
    fallbackModel: route.fallbackModel,
    models: parseModelNames(route.models),
    sessionAffinity: route.sessionAffinity,
    price: parsePriceOverride(route.price),
    isActive: route.isActive,
    createdAt: route.createdAt,
    updatedAt: route.updatedAt,
  };
}

/** A route lists only names it would route: a name outside its pattern would be listed but answered elsewhere. */
function checkModelsMatch(pattern: string, models: readonly string[]): void {
  const matches = compilePattern(pattern);
  const stray = models.filter((name) => !matches(name));
  if (stray.length > 0) {
    throw new AppError('INVALID_REQUEST', `models must match the route's pattern "${pattern}": ${stray.join(', ')}`, { details: { param: 'models' } });
  }
}

async function findRoute(prisma: PrismaClient, id: number) {
  return found(await prisma.modelRoute.findUnique({ where: { id }, include: withProvider }), 'route');
}

/** /routes: model name patterns → provider; every write makes each replica reload its routing table. */
export function modelRoutesApi({ prisma, notify }: AdminDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const routes = await prisma.modelRoute.findMany({ include: withProvider, orderBy: [{ priority: 'desc' }, { id: 'asc' }] });
    res.json({ data: routes.map(present) });
  });

  router.get('/:id', async (req, res) => {
    res.json(present(await findRoute(prisma, idParam(req.params.id))));
  });

  router.post('/', async (req, res) => {
    const body = createSchema.parse(req.body);
    const providerId = await resolveProviderId(prisma, body);
    const { providerId: _id, provider: _name, models, price, ...fields } = body;
    checkModelsMatch(fields.pattern, models ?? []);
    const created = await prisma.modelRoute.create({ data: { ...fields, providerId, models: storeModelNames(models ?? null), price: storePrice(price) } });
    notify({ entity: 'route', id: created.id });
    res.status(201).json(present(await findRoute(prisma, created.id)));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const body = patchSchema.parse(req.body);
    const current = await findRoute(prisma, id);
    if (body.pattern !== undefined || body.models !== undefined) {
      checkModelsMatch(body.pattern ?? current.pattern, body.models === undefined ? parseModelNames(current.models) : (body.models ?? []));
    }
    const changesProvider = body.providerId !== undefined || body.provider !== undefined;
    const providerId = changesProvider ? await resolveProviderId(prisma, body) : undefined;
    const { providerId: _id, provider: _name, models, price, ...fields } = body;
    const data = { ...fields, providerId, ...(models === undefined ? {} : { models: storeModelNames(models) }), ...(price === undefined ? {} : { price: storePrice(price) }) };
    await prisma.modelRoute.update({ where: { id }, data });
    notify({ entity: 'route', id });
    res.json(present(await findRoute(prisma, id)));
  });

  router.delete('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    await findRoute(prisma, id);
    await prisma.modelRoute.delete({ where: { id } });
    notify({ entity: 'route', id });
    res.status(204).end();
  });

  return router;
}

/** The routes above, for the OpenAPI document (admin-openapi.ts). */
export const modelRoutesDocs = resourceDocs('routes', [
  { method: 'get', path: '/', summary: 'List model routes' },
  { method: 'get', path: '/:id', summary: 'One model route' },
  { method: 'post', path: '/', summary: 'Create a model route', body: createSchema, status: 201 },
  { method: 'patch', path: '/:id', summary: 'Change a model route', body: patchSchema },
  { method: 'delete', path: '/:id', summary: 'Delete a model route' },
]);
