import { redisKeys, type RedisClient } from '@aigw/redis';
import { parseCachedToken, type CachedToken } from './cached-token.js';

/** The access tokens every auth replica shares: `auth:oauth:{provider}:{account}`, TTL = token lifetime. */
export class RedisTokenCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly marginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached token; undefined when absent or unreadable. */
  async read(providerName: string, accountId: number): Promise<CachedToken | undefined> {
    const raw = await this.redis.get(redisKeys.oauthToken(providerName, accountId));
    if (raw === null) return undefined;
    try {
      return parseCachedToken(JSON.parse(raw), this.marginMs);
    } catch {
      return undefined;
    }
  }

  /** Stores the token until it expires; an already expired token is not stored. */
  async write(providerName: string, accountId: number, token: CachedToken): Promise<void> {
    const ttl = token.expiresAt - this.now();
    if (ttl <= 0) return;
    await this.redis.set(redisKeys.oauthToken(providerName, accountId), JSON.stringify(token), 'PX', ttl);
  }

  async drop(providerName: string, accountId: number): Promise<void> {
    await this.redis.del(redisKeys.oauthToken(providerName, accountId));
  }
}
