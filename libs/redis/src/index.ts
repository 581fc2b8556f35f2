export { Redis, Cluster } from 'ioredis';
export { createRedis, type CreateRedisOptions, type RedisClient } from './create-redis.js';
export { redisKeys } from './keys.js';
