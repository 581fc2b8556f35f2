import { randomUUID } from 'node:crypto';
import { redisKeys, type RedisClient } from '@aigw/redis';

// Deletes the lock only if we still own it: after our TTL ran out another replica may hold it.
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

const COMMAND = 'aigwReleaseRefreshLock';

type WithRelease = RedisClient & { [COMMAND](key: string, owner: string): Promise<number> };

const defined = new WeakSet<RedisClient>();

function withRelease(redis: RedisClient): WithRelease {
  if (!defined.has(redis)) {
    redis.defineCommand(COMMAND, { lua: RELEASE_LUA, numberOfKeys: 1 });
    defined.add(redis);
  }
  return redis as WithRelease;
}

/** One token refresh at a time per account across every auth replica: `lock:refresh:{account}`. */
export class RefreshLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlMs: number,
  ) {
    // Defined before the client sends anything: an auto-pipeline batch made before the definition lacks the
    // command, and ioredis then fails the whole batch with a TypeError thrown outside any promise (a crash).
    withRelease(redis);
  }

  /** A token naming one holding of the lock. */
  newOwner(): string {
    return randomUUID();
  }

  /** Takes the lock for `owner`; false when another holder has it. */
  async acquire(accountId: number, owner: string): Promise<boolean> {
    return (await this.redis.set(redisKeys.refreshLock(accountId), owner, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** Gives the lock back if `owner` still holds it. */
  async release(accountId: number, owner: string): Promise<void> {
    await withRelease(this.redis)[COMMAND](redisKeys.refreshLock(accountId), owner);
  }
}
