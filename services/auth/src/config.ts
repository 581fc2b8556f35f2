import { commonFields, egressFields, encryptionKey, grpcServiceFields, positiveInt, z } from '@aigw/config';

/** Environment of the auth service. */
export const authConfigSchema = z.object({
  ...commonFields,
  ...egressFields,
  ...grpcServiceFields(50052),
  AIGW_ENCRYPTION_KEY: encryptionKey(),
  /** Refresh an OAuth access token when less than this is left of it. */
  OAUTH_REFRESH_MARGIN_MS: positiveInt(300_000),
  /** Budget of one call to a token endpoint; keep it well under OAUTH_LOCK_TTL_MS. */
  OAUTH_TOKEN_TIMEOUT_MS: positiveInt(5_000),
  /** How long after a refresh began a GetCredential whose token expired waits for it before failing (ingress tries another account). */
  OAUTH_REFRESH_WAIT_MS: positiveInt(1_000),
  /** Wait after an account's first failed refresh, doubling per further failure up to OAUTH_BACKOFF_MAX_MS. */
  OAUTH_BACKOFF_BASE_MS: positiveInt(1_000),
  OAUTH_BACKOFF_MAX_MS: positiveInt(60_000),
  /** How long one replica may hold an account's refresh lock. */
  OAUTH_LOCK_TTL_MS: positiveInt(10_000),
  /** How long a replica waits for another replica's refresh before giving up with UNAVAILABLE. */
  OAUTH_LOCK_WAIT_MS: positiveInt(15_000),
  OAUTH_LOCK_POLL_MS: positiveInt(50),
  /** Safety net behind config-changed messages: account facts are re-read from MySQL this often. */
  CREDENTIAL_CACHE_TTL_MS: positiveInt(300_000),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;
