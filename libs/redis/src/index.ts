export { Redis, Cluster } from 'ioredis';
export {
  createRedis,
  reconnectDelayMs,
  DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
  type CreateRedisOptions,
  type RedisClient,
  type RedisErrorLog,
} from './create-redis.js';
export { redisKeys } from './keys.js';
export { RedisOutage, type RedisOutageOptions } from './redis-outage.js';
export {
  readAccountStates,
  parseCooldownRecord,
  parseLastErrorRecord,
  RATE_WINDOW_MS,
  type AccountLiveState,
  type AccountRef,
  type CooldownReason,
  type CooldownRecord,
  type LastErrorRecord,
  type RetryAfterSource,
} from './account-state.js';
export { redisAccess, redisConnectionOptions, type RedisAccess, type RedisAccessConfig } from './redis-access.js';
