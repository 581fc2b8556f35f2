import { describe, expect, it, vi } from 'vitest';
import { AppError } from '@aigw/errors';
import { createLogger } from '@aigw/logger';
import type { OAuthData } from '../credentials/auth-data.js';
import type { CachedToken } from './cached-token.js';
import { OAuthTokens } from './oauth-tokens.js';
import type { TokenGrant } from './token-endpoint.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const settings = { marginMs: 300_000, tokenTimeoutMs: 1_000, lockWaitMs: 1_000, pollMs: 1, refreshWaitMs: 1_000, backoff: { baseMs: 1_000, maxMs: 60_000 } };

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

  it('refreshes in the background once the refresh time has come, serving the valid token meanwhile', async () => {
    let clock = 0;
    const { deps, counts, stored } = fakes(() => clock);
    const tokens = new OAuthTokens(deps);
    await tokens.token(1, 'p');
    clock = 3_300_000 - 1;
    expect((await tokens.token(1, 'p')).accessToken).toBe('at-1');
    clock = 3_300_000;
    expect((await tokens.token(1, 'p')).accessToken).toBe('at-1');
    await vi.waitFor(() => expect(counts.grants).toBe(2));
    await vi.waitFor(async () => expect((await tokens.token(1, 'p')).accessToken).toBe('at-2'));
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

  it('backs off a failing token endpoint per account, serving the still valid token, then failing fast once it expired', async () => {
    let clock = 0;
    const { deps, counts } = fakes(() => clock);
    let failing = false;
    const grant = deps.grant;
    const tokens = new OAuthTokens({
      ...deps,
      grant: async (id, oauth) => {
        if (!failing) return grant(id, oauth);
        counts.grants++;
        throw new AppError('UNAVAILABLE', `oauth token endpoint failed for account ${id} (status 500)`);
      },
    });
    await tokens.token(1, 'p');
    failing = true;
    // Due for refresh, still valid: every call is served while refreshes fail, one try per backoff step.
    for (clock = 3_300_000; clock < 3_600_000 - 1; clock += 100) expect((await tokens.token(1, 'p')).accessToken).toBe('at-1');
    await new Promise((resolve) => setTimeout(resolve, 10));
    // 300 s of calls every 100 ms: tries at 0, 1, 3, 7, 15, 31, 63, 123, 183, 243 s instead of 3,000.
    expect(counts.grants).toBeLessThanOrEqual(12);
    expect(counts.grants).toBeGreaterThanOrEqual(8);

    clock = 3_600_000 + 1;
    const tries = counts.grants;
    const error = await tokens.token(1, 'p').then(() => undefined, (e: unknown) => e as AppError);
    // Either this call's own try failed, or the account was already backing off: fast, retryable, with a hint.
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    const backingOff = await tokens.token(1, 'p').then(() => undefined, (e: unknown) => e as AppError);
    expect(backingOff?.retryAfterMs).toBeGreaterThan(0);
    expect(counts.grants - tries).toBeLessThanOrEqual(1);

    // The endpoint heals: after the backoff step the next call refreshes.
    failing = false;
    clock += 60_000;
    expect((await tokens.token(1, 'p')).accessToken).toMatch(/^at-/);
  });

  it('fails after refreshWaitMs when the endpoint hangs on an expired token, and serves the token once the refresh lands', async () => {
    let clock = Date.now();
    const { deps } = fakes(() => clock);
    let hangs = false;
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const tokens = new OAuthTokens({
      ...deps,
      now: () => clock,
      settings: { ...settings, refreshWaitMs: 300 },
      grant: async () => {
        if (hangs) await hung;
        return { accessToken: hangs ? 'late' : 'first', expiresInMs: 3_600_000 };
      },
    });
    expect((await tokens.token(1, 'p')).accessToken).toBe('first');
    hangs = true;
    clock += 3_600_000;
    await expect(tokens.token(1, 'p')).rejects.toMatchObject({ code: 'UNAVAILABLE', retryAfterMs: 1_000 });
    // The refresh is known to be slow now: the next caller is not made to wait again.
    clock += 300;
    const started = Date.now();
    await expect(tokens.token(1, 'p')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(150);
    release();
    await vi.waitFor(async () => expect((await tokens.token(1, 'p')).accessToken).toBe('late'));
  });

  it('waits for a first token within the refresh’s own limits (a slow cold start is not a failure)', async () => {
    const { deps } = fakes(Date.now);
    const tokens = new OAuthTokens({
      ...deps,
      settings: { ...settings, refreshWaitMs: 10 },
      grant: async () => {
        await new Promise((resolve) => setTimeout(resolve, 60));
        return { accessToken: 'slow-first', expiresInMs: 3_600_000 };
      },
    });
    expect((await tokens.token(1, 'p')).accessToken).toBe('slow-first');
  });

  it('refreshes on its own, once, when Redis fails, and still serves from memory', async () => {
    const { deps, counts } = fakes(Date.now);
    const down = async () => {
      throw new Error('Command timed out');
    };
    const tokens = new OAuthTokens({
      ...deps,
      shared: { read: down, write: down, drop: down },
      lock: { ...deps.lock, acquire: down, release: down },
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => tokens.token(1, 'p')));
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(['at-1']));
    expect(counts.grants).toBe(1);
    expect((await tokens.token(1, 'p')).accessToken).toBe('at-1');
    await tokens.invalidate(1, 'p');
    expect((await tokens.token(1, 'p')).accessToken).toBe('at-2');
  });
});
