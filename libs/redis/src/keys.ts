/**
 * The gateway's Redis key layout. Keys that one selection touches together (round-robin counter,
 * cooldowns, per-account limits and session-affinity bindings of one provider) share the `{provider}` hash
 * tag, so a single Lua script can read and write them on Redis Cluster.
 */
export const redisKeys = {
  roundRobin: (provider: string, model: string) => `account:rr:{${provider}}:${model}`,
  cooldown: (provider: string, accountId: number, model: string) => `cooldown:{${provider}}:${accountId}:${model}`,
  rateLimit: (provider: string, accountId: number, window: number) => `rl:{${provider}}:${accountId}:${window}`,
  /** Which account a conversation (ingress's affinity key, already a digest) is bound to; TTL refreshed on use. */
  affinity: (provider: string, model: string, affinityKey: string) => `affinity:{${provider}}:${model}:${affinityKey}`,
  oauthToken: (provider: string, accountId: number) => `auth:oauth:${provider}:{${accountId}}`,
  refreshLock: (accountId: number) => `lock:refresh:{${accountId}}`,
  proxyRequests: (proxyId: number) => `stats:proxy:{${proxyId}}:requests`,
  proxyFailures: (proxyId: number) => `stats:proxy:{${proxyId}}:failures`,
  clientRateLimit: (apiKeyId: number, window: number) => `rl:key:{${apiKeyId}}:${window}`,
} as const;
