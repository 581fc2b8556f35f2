/**
 * The gateway's Redis key layout. Keys that one selection touches together (round-robin counter,
 * cooldowns, per-account limits and session-affinity bindings of one provider) share the `{provider}` hash
 * tag, so a single Lua script can read and write them on Redis Cluster.
 */
export const redisKeys = {
  roundRobin: (provider: string, model: string) => `account:rr:{${provider}}:${model}`,
  cooldown: (provider: string, accountId: number, model: string) => `cooldown:{${provider}}:${accountId}:${model}`,
  rateLimit: (provider: string, accountId: number, window: number) => `rl:{${provider}}:${accountId}:${window}`,
  /**
   * The provider's cooling accounts (sorted set): member = the cooldown's JSON (CooldownRecord, which names the
   * account and model), score = until (unix ms). Lets the admin API list cooldowns without SCAN.
   */
  cooldownIndex: (provider: string) => `cooling:{${provider}}`,
  /** The last upstream failure of an account (LastErrorRecord JSON, TTL a week). */
  lastError: (provider: string, accountId: number) => `lasterr:{${provider}}:${accountId}`,
  /** The affinity bindings held by an account (sorted set): member = binding key, score = its expiry (unix ms). */
  affinityIndex: (provider: string, accountId: number) => `affinity-of:{${provider}}:${accountId}`,
  /** Which account a conversation (ingress's affinity key, already a digest) is bound to; TTL refreshed on use. */
  affinity: (provider: string, model: string, affinityKey: string) => `affinity:{${provider}}:${model}:${affinityKey}`,
  oauthToken: (provider: string, accountId: number) => `auth:oauth:${provider}:{${accountId}}`,
  refreshLock: (accountId: number) => `lock:refresh:{${accountId}}`,
  proxyRequests: (proxyId: number) => `stats:proxy:{${proxyId}}:requests`,
  proxyFailures: (proxyId: number) => `stats:proxy:{${proxyId}}:failures`,
  /** Held (SET NX PX) by the one provider-call replica that probes disabled proxies this round. */
  proxyProbeLock: () => 'lock:proxy-probe',
  /**
   * A client key's limit counters (ingress key-limits): requests and tokens of one minute, spend of one budget
   * period (`spend:<period>:<period start ms>`). The key id is the hash tag, so one script reads and writes them.
   */
  keyLimit: (apiKeyId: number, counter: string) => `keylim:{${apiKeyId}}:${counter}`,
  /**
   * A stored Responses API response of one client key (hash: the response object, the input items that
   * produced it, its affinity key); the key id is the hash tag, so one key's responses and item index are
   * written together in one transaction, and no key can name another key's response.
   */
  storedResponse: (apiKeyId: number, responseId: string) => `resp:key:{${apiKeyId}}:${responseId}`,
  /** Which stored response of the client key holds the item (`item_reference` resolution). */
  storedResponseItem: (apiKeyId: number, itemId: string) => `resp:key:{${apiKeyId}}:item:${itemId}`,
} as const;
