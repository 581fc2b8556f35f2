import { Router } from 'express';
import type { AccountLiveState, AccountRef } from '@aigw/redis';
import type { AdminDeps } from './admin-deps.js';
import { found, idParam } from './admin-params.js';
import { accountStateListSchema, accountStateSchema, presentAccountState, type AccountStateRow } from './account-state.js';
import { resourceDocs } from './openapi/route-docs.js';

const withProviderAndProxy = { provider: { select: { name: true } }, proxy: true } as const;

/**
 * /accounts/state and /accounts/:id/state: each account's live state as every selector replica sees it (Redis),
 * beside its database facts. Mounted before /accounts so that `state` is never read as an id. Redis down or slow
 * answers `stateAvailable: false` with the database's facts, never an error.
 */
export function accountStateApi({ prisma, accountState, logger }: AdminDeps): Router {
  const router = Router();

  async function live(rows: readonly AccountStateRow[]): Promise<Map<number, AccountLiveState> | undefined> {
    if (accountState === undefined || rows.length === 0) return rows.length === 0 ? new Map() : undefined;
    const refs: AccountRef[] = rows.map((row) => ({ id: row.id, provider: row.provider.name }));
    try {
      return await accountState.read(refs);
    } catch (error) {
      logger.warn({ error: (error as Error).message }, 'account live state unavailable: Redis did not answer');
      return undefined;
    }
  }

  router.get('/state', async (_req, res) => {
    const rows = await prisma.account.findMany({ include: withProviderAndProxy, orderBy: { id: 'asc' } });
    const states = await live(rows);
    const now = Date.now();
    res.json({ stateAvailable: states !== undefined, data: rows.map((row) => presentAccountState(row, states?.get(row.id), now)) });
  });

  router.get('/:id/state', async (req, res) => {
    const row = found(await prisma.account.findUnique({ where: { id: idParam(req.params.id) }, include: withProviderAndProxy }), 'account');
    const states = await live([row]);
    res.json(presentAccountState(row, states?.get(row.id)));
  });

  return router;
}

/** The routes above, for the OpenAPI document (admin-openapi.ts). */
export const accountStateDocs = resourceDocs('accounts', [
  { method: 'get', path: '/state', summary: 'Live state of every account (cooldowns, quota reset, rate window, last error, affinity)', response: accountStateListSchema },
  { method: 'get', path: '/:id/state', summary: 'Live state of one account', response: accountStateSchema },
]);
