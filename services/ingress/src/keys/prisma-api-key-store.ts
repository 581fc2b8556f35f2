import type { PrismaClient } from '@aigw/db';
import { parseModelNames } from '../routing/model-names.js';
import { withinTime } from '../within-time.js';
import type { ApiKeyStore } from './api-key-cache.js';
import { asBudgetPeriod } from './budget-period.js';
import type { SpendLedger } from './key-limits.js';

/** api_keys lookups by hash. */
export function prismaApiKeyStore(prisma: PrismaClient): ApiKeyStore {
  return {
    async findByHash(keyHash) {
      const row = await prisma.apiKey.findUnique({
        where: { keyHash },
        select: { id: true, rateLimitPerMin: true, revokedAt: true, tokensPerMin: true, budgetMicroUsd: true, budgetPeriod: true, expiresAt: true, allowedModels: true },
      });
      return (
        row && {
          id: row.id,
          rateLimitPerMin: row.rateLimitPerMin,
          revoked: row.revokedAt !== null,
          tokensPerMin: row.tokensPerMin,
          budgetMicroUsd: row.budgetMicroUsd === null ? null : Number(row.budgetMicroUsd),
          budgetPeriod: asBudgetPeriod(row.budgetPeriod),
          expiresAtMs: row.expiresAt?.getTime() ?? null,
          allowedModels: row.allowedModels === null ? null : parseModelNames(row.allowedModels),
        }
      );
    },
  };
}

/** A key's spend since a time, summed from request_logs (indexed by key and time), within `timeoutMs`. */
export function prismaSpendLedger(prisma: PrismaClient, timeoutMs: number): SpendLedger {
  return async (apiKeyId, sinceMs) => {
    const sum = prisma.requestLog.aggregate({ _sum: { costMicroUsd: true }, where: { apiKeyId, createdAt: { gte: new Date(sinceMs) } } });
    const { _sum } = await withinTime(sum, timeoutMs, () => new Error('spend ledger read timed out'));
    return Number(_sum.costMicroUsd ?? 0);
  };
}
