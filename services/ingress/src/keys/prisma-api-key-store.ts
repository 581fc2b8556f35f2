import type { PrismaClient } from '@aigw/db';
import type { ApiKeyStore } from './api-key-cache.js';

/** api_keys lookups by hash. */
export function prismaApiKeyStore(prisma: PrismaClient): ApiKeyStore {
  return {
    async findByHash(keyHash) {
      const row = await prisma.apiKey.findUnique({ where: { keyHash }, select: { id: true, rateLimitPerMin: true, revokedAt: true } });
      return row && { id: row.id, rateLimitPerMin: row.rateLimitPerMin, revoked: row.revokedAt !== null };
    },
  };
}
