import { Router } from 'express';
import type { Provider } from '@aigw/db';
import { AppError } from '@aigw/errors';
import { parsePriceOverride, priceOverrideSchema, storePriceOverride as storePrice } from '@aigw/pricing';
import { z } from '@aigw/config';
import type { AdminDeps } from './admin-deps.js';
import { resourceDocs } from './openapi/route-docs.js';
import { checkEgress } from './egress-field.js';
import { parseModelNames, storeModelNames } from '../routing/model-names.js';
import { found, idParam } from './admin-params.js';
import { modelNamesField } from './model-names-field.js';

const providerFields = {
  name: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9._-]+$/, 'lowercase letters, digits and . _ - only'),
  kind: z.enum(['openai', 'anthropic', 'gemini', 'antigravity']),
  baseUrl: z.url({ protocol: /^https?$/ }).max(512),
  /** Models the provider serves besides those its upstream lists (or when it has no model list). */
  models: modelNamesField,
  /** The upstream wire, for kinds that speak more than one; null = the kind's own. */
  wire: z.enum(['responses']).nullable(),
  isActive: z.boolean(),
  /** The operator's price for every model of the provider (USD per million tokens); a route's own wins; null = the price table. */
  price: priceOverrideSchema.nullable(),
};

/** Wires a kind can be set to besides its own (provider-call's adapter registry serves these). */
const KIND_WIRES: Readonly<Record<string, readonly string[]>> = { openai: ['responses'] };

/** Refuses a wire the provider's kind does not speak (`responses` is for `openai` providers only). */
function checkWire(kind: string, wire: string | null | undefined): void {
  if (wire === null || wire === undefined || KIND_WIRES[kind]?.includes(wire) === true) return;
  throw new AppError('INVALID_REQUEST', `a provider of kind "${kind}" cannot use the wire "${wire}"`, { details: { param: 'wire' } });
}
const createSchema = z.strictObject(providerFields).partial({ models: true, wire: true, isActive: true, price: true });
const patchSchema = z.strictObject(providerFields).partial();

function present(provider: Provider) {
  const { id, name, kind, wire, baseUrl, isActive, createdAt, updatedAt } = provider;
  return { id, name, kind, wire, baseUrl, models: parseModelNames(provider.models), price: parsePriceOverride(provider.price), isActive, createdAt, updatedAt };
}

/** /providers: upstream providers that accounts and routes refer to. */
export function providersApi({ prisma, notify, egress }: AdminDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json({ data: (await prisma.provider.findMany({ orderBy: { id: 'asc' } })).map(present) });
  });

  router.get('/:id', async (req, res) => {
    res.json(present(found(await prisma.provider.findUnique({ where: { id: idParam(req.params.id) } }), 'provider')));
  });

  router.post('/', async (req, res) => {
    const { models, price, ...fields } = createSchema.parse(req.body);
    checkWire(fields.kind, fields.wire);
    checkEgress(egress, 'baseUrl', fields.baseUrl);
    const created = await prisma.provider.create({ data: { ...fields, models: storeModelNames(models ?? null), price: storePrice(price) } });
    notify({ entity: 'provider', id: created.id });
    res.status(201).json(present(created));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const { models, price, ...fields } = patchSchema.parse(req.body);
    checkEgress(egress, 'baseUrl', fields.baseUrl);
    const current = found(await prisma.provider.findUnique({ where: { id }, select: { kind: true, wire: true } }), 'provider');
    checkWire(fields.kind ?? current.kind, fields.wire === undefined ? current.wire : fields.wire);
    const updated = await prisma.provider.update({ where: { id }, data: { ...fields, ...(models === undefined ? {} : { models: storeModelNames(models) }), ...(price === undefined ? {} : { price: storePrice(price) }) } });
    notify({ entity: 'provider', id });
    res.json(present(updated));
  });

  return router;
}

/** The routes above, for the OpenAPI document (admin-openapi.ts). */
export const providersDocs = resourceDocs('providers', [
  { method: 'get', path: '/', summary: 'List providers' },
  { method: 'get', path: '/:id', summary: 'One provider' },
  { method: 'post', path: '/', summary: 'Create a provider', body: createSchema, status: 201 },
  { method: 'patch', path: '/:id', summary: 'Change a provider', body: patchSchema },
]);
