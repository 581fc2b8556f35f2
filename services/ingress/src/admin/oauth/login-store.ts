import type { RedisClient } from '@aigw/redis';
import type { LoginKind } from './login-clients.js';

export type LoginStatus = 'pending' | 'completed' | 'failed' | 'expired';

/** A login as kept in Redis: cluster-wide, so that one replica starts it and any other completes it. */
export interface StoredLogin {
  id: string;
  providerId: number;
  provider: string;
  kind: LoginKind;
  label: string | null;
  egress: 'pool' | 'direct';
  state: string;
  /** The PKCE verifier: a secret until the code is exchanged, dropped afterwards. */
  verifier: string | null;
  redirectUri: string;
  authorizationUrl: string;
  createdAt: string;
  expiresAt: string;
  status: Exclude<LoginStatus, 'expired'>;
  accountId: number | null;
  error: string | null;
}

/** How long a finished (or expired) login stays readable after its deadline, for GET /oauth/logins/:id. */
const KEEP_AFTER_MS = 3_600_000;
/** How long one replica may hold a login while it exchanges the code and onboards the account. */
const CLAIM_MS = 120_000;

// One hash tag per login: its record and its claim are one slot in Redis Cluster.
const loginKey = (id: string) => `oauth:login:{${id}}`;
const claimKey = (id: string) => `oauth:login:{${id}}:claim`;
const stateKey = (state: string) => `oauth:login-state:{${state}}`;

/** Pending OAuth logins in Redis, each readable until an hour past its deadline. */
export class LoginStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => number = Date.now,
  ) {}

  async save(login: StoredLogin): Promise<void> {
    const ttl = Math.max(1, Date.parse(login.expiresAt) - this.now()) + KEEP_AFTER_MS;
    await this.redis.set(loginKey(login.id), JSON.stringify(login), 'PX', ttl);
    if (login.status === 'pending') await this.redis.set(stateKey(login.state), login.id, 'PX', ttl);
  }

  async get(id: string): Promise<StoredLogin | undefined> {
    const text = await this.redis.get(loginKey(id));
    return text === null ? undefined : (JSON.parse(text) as StoredLogin);
  }

  /** The login a `state` was issued for (the callback knows only the state). */
  async idForState(state: string): Promise<string | undefined> {
    return (await this.redis.get(stateKey(state))) ?? undefined;
  }

  /** Takes the login for completion: false when another request (on any replica) holds it. */
  async claim(id: string): Promise<boolean> {
    return (await this.redis.set(claimKey(id), '1', 'PX', CLAIM_MS, 'NX')) === 'OK';
  }

  async release(id: string): Promise<void> {
    await this.redis.del(claimKey(id));
  }

  /** Records how a login ended; the verifier and the state's index go. */
  async finish(login: StoredLogin, outcome: { accountId: number } | { error: string }): Promise<StoredLogin> {
    const done: StoredLogin = {
      ...login,
      verifier: null,
      status: 'accountId' in outcome ? 'completed' : 'failed',
      accountId: 'accountId' in outcome ? outcome.accountId : null,
      error: 'error' in outcome ? outcome.error : null,
    };
    await this.save(done);
    await this.redis.del(stateKey(login.state));
    return done;
  }
}

/** The status a client sees: a pending login past its deadline is expired. */
export function loginStatus(login: StoredLogin, now: number): LoginStatus {
  return login.status === 'pending' && Date.parse(login.expiresAt) <= now ? 'expired' : login.status;
}
