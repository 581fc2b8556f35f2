import { describe, expect, it } from 'vitest';
import { createLogger } from '@aigw/logger';
import type { OAuthData } from '../credentials/auth-data.js';
import type { CachedToken } from './cached-token.js';
import { OAuthTokens } from './oauth-tokens.js';
import type { TokenGrant } from './token-endpoint.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const settings = { marginMs: 300_000, tokenTimeoutMs: 1_000, lockWaitMs: 1_000, pollMs: 1 };

/** In-memory stand-ins for MySQL, Redis and the token endpoint, counting what the tokens layer does. */
function fakes(now: () => number) {
  let stored: OAuthData = { clientId: 'c', clientSecret: 's', refreshToken: 'r0', tokenUrl: 'http://t' };
  const shared = new Map<string, CachedToken>();
  let lockHolder: string | undefined;
  const counts = { acquires: 0, grants: 0, saves: 0 };
  let issued = 0;
  const deps = {
    store: {
      loadOAuth: async () => ({ ...stored }),
      saveOAuth: async (_id: number, data: OAuthData) => {
        counts.saves++;
        stored = data;
      },
    },
    shared: {
      read: async (provider: string, id: number) => shared.get(`${provider}:${id}`),
      write: async (provider: string, id: number, token: CachedToken) => void shared.set(`${provider}:${id}`, token),
      drop: async (provider: string, id: number) => void shared.delete(`${provider}:${id}`),
    },
    lock: {
      newOwner: () => String(Math.random()),
      acquire: async (_id: number, owner: string) => {
        counts.acquires++;
        if (lockHolder !== undefined) return false;
        lockHolder = owner;
        return true;
      },
      release: async (_id: number, owner: string) => {
        if (lockHolder === owner) lockHolder = undefined;
      },
    },
    grant: async (_id: number, oauth: OAuthData): Promise<TokenGrant> => {
      counts.grants++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      issued++;
      return { accessToken: `at-${issued}`, expiresInMs: 3_600_000, refreshToken: `${oauth.refreshToken}>r${issued}` };
    },
    logger,
    settings,
    now,
  };
  return { deps, counts, shared, stored: () => stored };
}

describe('OAuthTokens', () => {
  it('collapses concurrent callers in one process into one lock attempt and one grant', async () => {
    const { deps, counts } = fakes(Date.now);
    const tokens = new OAuthTokens(deps);
    const results = await Promise.all(Array.from({ length: 50 }, () => tokens.token(1, 'p')));
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(['at-1']));
    expect(counts).toEqual({ acquires: 1, grants: 1, saves: 1 });
  });

  it('writes the rotated refresh token back with the access token and its expiry', async () => {
    const { deps, stored } = fakes(() => 1_000_000);
    const token = await new OAuthTokens(deps).token(1, 'p');
    expect(stored()).toMatchObject({ refreshToken: 'r0>r1', accessToken: 'at-1', expiresAt: 1_000_000 + 3_600_000, clientSecret: 's' });
    expect(token.refreshAt).toBe(1_000_000 + 3_600_000 - 300_000);
  });

  it('refreshes again once the refresh time has come, starting from the latest refresh token', async () => {
    let clock = 0;
    const { deps, counts, stored } = fakes(() => clock);
    const tokens = new OAuthTokens(deps);
    await tokens.token(1, 'p');
    clock = 3_300_000 - 1;
    expect((await tokens.token(1, 'p')).accessToken).toBe('at-1');
    clock = 3_300_000;
    expect((await tokens.token(1, 'p')).accessToken).toBe('at-2');
    expect(counts.grants).toBe(2);
    expect(stored().refreshToken).toBe('r0>r1>r2');
  });

  it('waits for the holder of the lock instead of refreshing itself', async () => {
    const { deps, counts, shared } = fakes(Date.now);
    await deps.lock.acquire(1, 'other-replica');
    const waiting = new OAuthTokens(deps).token(1, 'p');
    setTimeout(() => shared.set('p:1', { accessToken: 'theirs', expiresAt: Date.now() + 3_600_000, refreshAt: Date.now() + 3_300_000 }), 20);
    expect((await waiting).accessToken).toBe('theirs');
    expect(counts.grants).toBe(0);
  });

  it('gives up with UNAVAILABLE when the holder never delivers', async () => {
    const { deps } = fakes(Date.now);
    await deps.lock.acquire(1, 'stuck-replica');
    await expect(new OAuthTokens({ ...deps, settings: { ...settings, lockWaitMs: 30 } }).token(1, 'p')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('invalidate drops the token from both caches and from auth_data, keeping the refresh token', async () => {
    const { deps, shared, stored } = fakes(Date.now);
    const tokens = new OAuthTokens(deps);
    await tokens.token(1, 'p');
    await tokens.invalidate(1, 'p');
    expect(shared.size).toBe(0);
    expect(stored()).toEqual({ clientId: 'c', clientSecret: 's', refreshToken: 'r0>r1', tokenUrl: 'http://t' });
    expect((await tokens.token(1, 'p')).accessToken).toBe('at-2');
  });
});
