import type { PrismaClient } from '@aigw/db';
import { AppError } from '@aigw/errors';
import { z } from '@aigw/config';

/** Body fields naming a provider: by id or by name. */
export const providerRefFields = {
  providerId: z.number().int().positive().optional(),
  provider: z.string().min(1).max(64).optional(),
};

/** The provider id a body names; INVALID_REQUEST when it names none or an unknown one. */
export async function resolveProviderId(prisma: PrismaClient, ref: { providerId?: number | undefined; provider?: string | undefined }): Promise<number> {
  const where = ref.providerId !== undefined ? { id: ref.providerId } : ref.provider !== undefined ? { name: ref.provider } : undefined;
  if (!where) throw new AppError('INVALID_REQUEST', 'providerId or provider (name) is required', { details: { param: 'providerId' } });
  const provider = await prisma.provider.findUnique({ where, select: { id: true } });
  if (!provider) throw new AppError('INVALID_REQUEST', 'unknown provider', { details: { param: ref.providerId !== undefined ? 'providerId' : 'provider' } });
  return provider.id;
}
