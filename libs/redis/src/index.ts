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
