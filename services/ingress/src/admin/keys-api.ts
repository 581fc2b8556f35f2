import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { ApiKey, PrismaClient } from '@aigw/db';
import { z } from '@aigw/config';
import { AppError } from '@aigw/errors';
import { asBudgetPeriod, BUDGET_PERIODS, budgetWindow } from '../keys/budget-period.js';
import { hashClientKey } from '../keys/client-key.js';
import { parseModelNames } from '../routing/model-names.js';
import type { AdminDeps } from './admin-deps.js';
import { resourceDocs } from './openapi/route-docs.js';
import { found, idParam } from './admin-params.js';
import { windowStart } from './stats-api.js';
import { keyUsage, loggedSpendMicroUsd, usdOf } from './usage-queries.js';

const MAX_BUDGET_USD = 1_000_000_000;

const limitFields = {
  rateLimitPerMin: z.number().int().positive().max(10_000_000).nullable(),
  /** Prompt + answer tokens per minute. */
  tokensPerMin: z.number().int().positive().max(2_000_000_000).nullable(),
  /** Spend allowed per budgetPeriod, in USD (kept as integer micro-USD). */
  maxBudget: z.number().nonnegative().max(MAX_BUDGET_USD).nullable(),
  /** UTC periods; a week starts on Monday. Default `month` when maxBudget is set. */
  budgetPeriod: z.enum(BUDGET_PERIODS).nullable(),
  /** After this time the key is refused with a 401. */
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  /** Model names (or `*` patterns) the key may use; null = all. */
  models: z.array(z.string().trim().min(1).max(128)).max(1000).nullable(),
};
const createSchema = z.strictObject({ name: z.string().trim().min(1).max(128), ...limitFields }).partial(
  Object.fromEntries(Object.keys(limitFields).map((field) => [field, true])) as { [K in keyof typeof limitFields]: true },
);
const patchSchema = createSchema.partial();
const usageQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(7) });

type LimitBody = z.infer<typeof patchSchema>;

/** A new client key: `aigw-` + 32 random bytes, base64url. */
export function generateClientKey(): string {
  return `aigw-${randomBytes(32).toString('base64url')}`;
}

/** The part of a key stored in clear so people can tell keys apart. */
export function keyPrefix(key: string): string {
  return key.slice(0, 12);
}

/** The api_keys columns a body sets (only the fields it names; null clears a limit). */
function limitColumns(body: LimitBody, current: ApiKey | undefined, nowMs: number) {
  if (body.expiresAt && Date.parse(body.expiresAt) <= nowMs) {
    throw new AppError('INVALID_REQUEST', 'expiresAt must be in the future', { details: { param: 'expiresAt' } });
  }
  const budgetSet = body.maxBudget !== undefined ? body.maxBudget !== null : current?.budgetMicroUsd !== null && current !== undefined;
  return {
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.rateLimitPerMin === undefined ? {} : { rateLimitPerMin: body.rateLimitPerMin }),
    ...(body.tokensPerMin === undefined ? {} : { tokensPerMin: body.tokensPerMin }),
    ...(body.maxBudget === undefined ? {} : { budgetMicroUsd: body.maxBudget === null ? null : BigInt(Math.round(body.maxBudget * 1_000_000)) }),
    // A budget without a period is a monthly one.
    ...(body.budgetPeriod !== undefined
      ? { budgetPeriod: body.budgetPeriod ?? (budgetSet ? 'month' : null) }
      : budgetSet && !current?.budgetPeriod
        ? { budgetPeriod: 'month' }
        : {}),
    ...(body.expiresAt === undefined ? {} : { expiresAt: body.expiresAt === null ? null : new Date(body.expiresAt) }),
    ...(body.models === undefined ? {} : { allowedModels: body.models === null ? null : JSON.stringify([...new Set(body.models)]) }),
  };
}

/** The key's spend in its current budget period: the enforcing counter (Redis), else what request_logs say. */
async function spendOf(deps: AdminDeps, key: ApiKey, nowMs: number) {
  if (key.budgetMicroUsd === null) return null;
  const period = asBudgetPeriod(key.budgetPeriod);
  const window = budgetWindow(period, nowMs);
  let spent: number;
  try {
    if (!deps.keyCounters) throw new Error('no counters');
    spent = await deps.keyCounters.spent(key.id, period, window.startMs);
  } catch {
    spent = await loggedSpendMicroUsd(deps.prisma, key.id, new Date(window.startMs));
  }
  const budget = Number(key.budgetMicroUsd);
  return {
    periodStart: new Date(window.startMs).toISOString(),
    periodEnd: window.endMs === null ? null : new Date(window.endMs).toISOString(),
    spentUsd: usdOf(spent),
    remainingUsd: usdOf(Math.max(0, budget - spent)),
  };
}

async function present(deps: AdminDeps, key: ApiKey, nowMs = Date.now()) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    rateLimitPerMin: key.rateLimitPerMin,
    tokensPerMin: key.tokensPerMin,
    maxBudget: key.budgetMicroUsd === null ? null : usdOf(key.budgetMicroUsd),
    budgetPeriod: key.budgetMicroUsd === null ? null : asBudgetPeriod(key.budgetPeriod),
    expiresAt: key.expiresAt,
    models: key.allowedModels === null ? null : parseModelNames(key.allowedModels),
    revokedAt: key.revokedAt,
    lastUsedAt: key.lastUsedAt,
    createdAt: key.createdAt,
    spend: await spendOf(deps, key, nowMs),
  };
}

async function findKey(prisma: PrismaClient, id: number): Promise<ApiKey> {
  return found(await prisma.apiKey.findUnique({ where: { id } }), 'API key');
}

/** /keys: client keys and their limits. The plaintext is shown once, at creation; only its SHA-256 is stored. */
export function keysApi(deps: AdminDeps): Router {
  const { prisma, notify } = deps;
  const router = Router();

  router.get('/', async (_req, res) => {
    const keys = await prisma.apiKey.findMany({ orderBy: { id: 'asc' } });
    res.json({ data: await Promise.all(keys.map((key) => present(deps, key))) });
  });

  router.get('/:id', async (req, res) => {
    res.json(await present(deps, await findKey(prisma, idParam(req.params.id))));
  });

  router.get('/:id/usage', async (req, res) => {
    const key = await findKey(prisma, idParam(req.params.id));
    const { days } = usageQuery.parse(req.query);
    const from = windowStart(days);
    res.json({ keyId: key.id, from: from.toISOString().slice(0, 10), ...(await keyUsage(prisma, key.id, from)) });
  });

  router.post('/', async (req, res) => {
    const body = createSchema.parse(req.body);
    const key = generateClientKey();
    const created = await prisma.apiKey.create({
      data: { ...limitColumns(body, undefined, Date.now()), name: body.name, keyHash: hashClientKey(key), prefix: keyPrefix(key) },
    });
    // Replicas may hold this hash in their negative cache.
    notify({ entity: 'api_key', id: created.id });
    res.status(201).json({ ...(await present(deps, created)), key });
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const body = patchSchema.parse(req.body);
    const current = await findKey(prisma, id);
    const updated = await prisma.apiKey.update({ where: { id }, data: limitColumns(body, current, Date.now()) });
    notify({ entity: 'api_key', id });
    res.json(await present(deps, updated));
  });

  router.delete('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const existing = await findKey(prisma, id);
    const revoked = existing.revokedAt ? existing : await prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    notify({ entity: 'api_key', id });
    res.json(await present(deps, revoked));
  });

  return router;
}

/** The routes above, for the OpenAPI document (admin-openapi.ts). */
export const keysDocs = resourceDocs('keys', [
  { method: 'get', path: '/', summary: 'List client keys with their limits and spend this period (never the secret)' },
  { method: 'get', path: '/:id', summary: 'One client key with its limits and spend this period' },
  { method: 'get', path: '/:id/usage', summary: 'A client key’s requests, tokens and cost per UTC day and per model', query: usageQuery },
  { method: 'post', path: '/', summary: 'Create a client key; the secret is in this answer only', body: createSchema, status: 201 },
  { method: 'patch', path: '/:id', summary: 'Change a client key’s name or limits (null clears a limit)', body: patchSchema },
  { method: 'delete', path: '/:id', summary: 'Revoke a client key' },
]);
