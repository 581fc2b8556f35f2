import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { ApiKey } from '@aigw/db';
import { z } from '@aigw/config';
import { hashClientKey } from '../keys/client-key.js';
import type { AdminDeps } from './admin-deps.js';
import { resourceDocs } from './openapi/route-docs.js';
import { found, idParam } from './admin-params.js';

const createSchema = z.strictObject({
  name: z.string().trim().min(1).max(128),
  rateLimitPerMin: z.number().int().positive().nullable().optional(),
});

/** A new client key: `aigw-` + 32 random bytes, base64url. */
export function generateClientKey(): string {
  return `aigw-${randomBytes(32).toString('base64url')}`;
}

/** The part of a key stored in clear so people can tell keys apart. */
export function keyPrefix(key: string): string {
  return key.slice(0, 12);
}

function present(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    rateLimitPerMin: key.rateLimitPerMin,
    revokedAt: key.revokedAt,
    lastUsedAt: key.lastUsedAt,
    createdAt: key.createdAt,
  };
}

/** /keys: client keys. The plaintext is shown once, at creation; only its SHA-256 is stored. */
export function keysApi({ prisma, notify }: AdminDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const keys = await prisma.apiKey.findMany({ orderBy: { id: 'asc' } });
    res.json({ data: keys.map(present) });
  });

  router.post('/', async (req, res) => {
    const body = createSchema.parse(req.body);
    const key = generateClientKey();
    const created = await prisma.apiKey.create({
      data: { name: body.name, keyHash: hashClientKey(key), prefix: keyPrefix(key), rateLimitPerMin: body.rateLimitPerMin ?? null },
    });
    // Replicas may hold this hash in their negative cache.
    notify({ entity: 'api_key', id: created.id });
    res.status(201).json({ ...present(created), key });
  });

  router.delete('/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const existing = found(await prisma.apiKey.findUnique({ where: { id } }), 'API key');
    const revoked = existing.revokedAt ? existing : await prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    notify({ entity: 'api_key', id });
    res.json(present(revoked));
  });

  return router;
}

/** The routes above, for the OpenAPI document (admin-openapi.ts). */
export const keysDocs = resourceDocs('keys', [
  { method: 'get', path: '/', summary: 'List client keys (never the secret)' },
  { method: 'post', path: '/', summary: 'Create a client key; the secret is in this answer only', body: createSchema, status: 201 },
  { method: 'delete', path: '/:id', summary: 'Revoke a client key' },
]);
