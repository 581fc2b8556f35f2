import { commonFields, port, positiveInt, z } from '@aigw/config';

/** Environment of the selector service. */
export const selectorConfigSchema = z.object({
  ...commonFields,
  GRPC_HOST: z.string().default('0.0.0.0'),
  GRPC_PORT: port(50051),
  /** Comma-separated host:port seeds; connects to a Redis Cluster instead of REDIS_URL when set. */
  REDIS_CLUSTER_NODES: z.string().default(''),
  /** Safety net behind the config-changed messages: the account cache reloads this often anyway. */
  ACCOUNT_REFRESH_MS: positiveInt(30_000),
  COOLDOWN_BASE_MS: positiveInt(1_000),
  COOLDOWN_MAX_MS: positiveInt(60_000),
  /** Cooldown after an upstream 401/403 (bad or revoked credentials rarely heal in seconds). */
  AUTH_FAILURE_COOLDOWN_MS: positiveInt(30_000),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
});

export type SelectorConfig = z.infer<typeof selectorConfigSchema>;
