import type { PrismaClient } from '@aigw/db';
import type { RouteLoader } from './route-cache.js';

/** Active routes of active providers, from model_routes. */
export function prismaRouteLoader(prisma: PrismaClient): RouteLoader {
  return async () => {
    const rows = await prisma.modelRoute.findMany({
      where: { isActive: true, provider: { isActive: true } },
      include: { provider: { select: { name: true } } },
    });
    return rows.map((row) => ({
      id: row.id,
      pattern: row.pattern,
      providerId: row.providerId,
      providerName: row.provider.name,
      upstreamModel: row.upstreamModel,
      priority: row.priority,
      fallbackModel: row.fallbackModel,
    }));
  };
}
