import type { ConfigChange } from '@aigw/bus';
import type { PrismaClient } from '@aigw/db';
import type { EgressPolicy } from '@aigw/egress';
import type { Logger } from '@aigw/logger';
import type { ProxyAssignments, RecalculateResult } from '@aigw/proxy-pool';
import type { AccountLiveState, AccountRef } from '@aigw/redis';
import type { CredentialCipher } from '@aigw/secrets';
import type { OAuthOnboarding } from './oauth/oauth-onboarding.js';
import type { KeyCounters } from '../keys/key-limits.js';

/** What the admin API needs; main.ts wires the real ones. */
export interface AdminDeps {
  prisma: PrismaClient;
  cipher: CredentialCipher;
  /** AIGW_ADMIN_TOKEN; empty disables the admin API. */
  adminToken: string;
  /** Tells every replica to refresh its caches (publishConfigChanged). */
  notify: (change: ConfigChange) => void;
  proxyPool: {
    recalculate: (prisma: PrismaClient) => Promise<RecalculateResult>;
    list: (prisma: PrismaClient) => Promise<ProxyAssignments[]>;
  };
  /** Refuses upstream, token and proxy URLs pointing inside (EGRESS_ALLOW, EGRESS_ALLOW_PRIVATE). */
  egress: EgressPolicy;
  /**
   * Reads accounts' live state from Redis (readAccountStates), bounded by the Redis request timeout; rejects when
   * Redis does not answer. Absent: the state routes say `stateAvailable: false`.
   */
  accountState?: { read(accounts: readonly AccountRef[]): Promise<Map<number, AccountLiveState>> };
  logger: Logger;
  /** OAuth logins and credential-file imports (pending logins in Redis, the login clients). */
  oauth: OAuthOnboarding;
  /** Client keys' spend counters (Redis), for a key's spend this period; without them, it is read from request_logs. */
  keyCounters?: Pick<KeyCounters, 'spent'>;
}
