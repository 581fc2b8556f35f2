import { Router } from 'express';
import type { Provider } from '@aigw/db';
import { z } from '@aigw/config';
import type { AdminDeps } from './admin-deps.js';
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
  isActive: z.boolean(),
};
const createSchema = z.strictObject(providerFields).partial({ models: true, isActive: true });
const patchSchema = z.strictObject(providerFields).partial();

function present(provider: Provider) {
  const { id, name, kind, baseUrl, isActive, createdAt, updatedAt } = provider;
  return { id, name, kind, baseUrl, models: parseModelNames(provider.models), isActive, createdAt, updatedAt };
}

/** /providers: upstream providers that accounts and routes refer to. */
export function providersApi({ prisma, notify }: AdminDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json({ data: (await prisma.provider.findMany({ orderBy: { id: 'asc' } })).map(present) });
  });

  router.get('/:id', async (req, res) => {
    res.json(present(found(await prisma.provider.findUnique({ where: { id: idParam(req.params.id) } }), 'provider')));
  });

  router.post('/', async (req, res) => {
    const { models, ...fields } = createSchema.parse(req.body);
    const created = await prisma.provider.create({ data: { ...fields, models: storeModelNames(models ?? null) } });
    notify({ entity: 'provider', id: created.id });
    res.status(201).json(present(created));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const { models, ...fields } = patchSchema.parse(req.body);
    found(await prisma.provider.findUnique({ where: { id }, select: { id: true } }), 'provider');
    const updated = await prisma.provider.update({ where: { id }, data: { ...fields, ...(models === undefined ? {} : { models: storeModelNames(models) }) } });
    notify({ entity: 'provider', id });
    res.json(present(updated));
  });

  return router;
}
