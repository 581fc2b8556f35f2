import { commonFields, grpcServiceFields, positiveInt, z } from '@aigw/config';

/** Environment of the selector service. */
export const selectorConfigSchema = z.object({
  ...commonFields,
  ...grpcServiceFields(50051),
  /** Safety net behind the config-changed messages: the account cache reloads this often anyway. */
  ACCOUNT_REFRESH_MS: positiveInt(30_000),
  COOLDOWN_BASE_MS: positiveInt(1_000),
  COOLDOWN_MAX_MS: positiveInt(60_000),
  /** Cooldown after an upstream 401/403 (bad or revoked credentials rarely heal in seconds). */
  AUTH_FAILURE_COOLDOWN_MS: positiveInt(30_000),
  /**
   * How long a conversation stays bound to its account after its last turn (refreshed on every turn). An hour
   * covers an agent's pauses; upstream prompt caches live minutes to an hour, so longer buys little.
   */
  AFFINITY_TTL_MS: positiveInt(3_600_000),
});

export type SelectorConfig = z.infer<typeof selectorConfigSchema>;
