import { describe, expect, it } from 'vitest';
import type { AccountLiveState } from '@aigw/redis';
import { presentAccountState, proxyUrlWithoutCredentials, type AccountStateRow } from './account-state.js';

const now = Date.parse('2026-12-07T12:00:00Z');
const at = (iso: string) => Date.parse(iso);

function row(fields: Partial<AccountStateRow> = {}): AccountStateRow {
  return {
    id: 7,
    providerId: 2,
    label: 'ag-1',
    authType: 'oauth',
    authData: 'v1.secret',
    baseUrl: null,
    settings: null,
    proxyId: 3,
    egress: 'pool',
    isActive: true,
    rateLimitPerMin: 60,
    lastUsedAt: new Date('2026-12-07T11:59:00Z'),
    usageCount: 4,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    provider: { name: 'antigravity' },
    proxy: {
      id: 3,
      label: 'proxy-1',
      proxyUrl: 'http://user:hunter2@10.0.0.5:3128',
      capacity: 10,
      maxFailures: 5,
      failureCount: 1,
      isActive: true,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    },
    ...fields,
  };
}

const live: AccountLiveState = {
  cooldowns: [
    { accountId: 7, model: 'gemini-2.5-pro', reason: 'quota_exhausted', until: at('2026-12-07T13:00:00Z'), source: 'quota-reset', resetAt: at('2026-12-07T13:00:00Z') },
    { accountId: 7, model: 'claude-sonnet', reason: 'rate_limited', until: at('2026-12-07T11:59:59Z'), source: 'retry-after' },
  ],
  lastError: { class: 'quota_exhausted', status: 429, at: at('2026-12-07T11:59:30Z'), message: 'You have exhausted your capacity on this model.' },
  rateWindowRequests: 12,
  affinityBindings: 3,
};

describe('presentAccountState', () => {
  it('shows a cooling account with why, until when, on whose word, and its quota reset', () => {
    expect(presentAccountState(row(), live, now)).toEqual({
      accountId: 7,
      label: 'ag-1',
      providerId: 2,
      provider: 'antigravity',
      isActive: true,
      status: 'cooling',
      stateAvailable: true,
      cooldowns: [{ model: 'gemini-2.5-pro', reason: 'quota_exhausted', until: '2026-12-07T13:00:00.000Z', retryAfterSource: 'quota-reset' }],
      quotaResetAt: '2026-12-07T13:00:00.000Z',
      rateWindow: { requests: 12, windowSeconds: 60, limit: 60 },
      lastUsedAt: '2026-12-07T11:59:00.000Z',
      lastError: { class: 'quota_exhausted', status: 429, at: '2026-12-07T11:59:30.000Z', message: 'You have exhausted your capacity on this model.' },
      affinityBindings: 3,
      proxy: { id: 3, label: 'proxy-1', url: 'http://10.0.0.5:3128', healthy: true },
    });
  });

  it('says disabled and waiting for a proxy before cooling, and active when nothing holds it back', () => {
    expect(presentAccountState(row({ isActive: false }), live, now).status).toBe('disabled');
    expect(presentAccountState(row({ proxyId: null, proxy: null }), live, now).status).toBe('waiting_for_proxy');
    expect(presentAccountState(row({ proxyId: null, proxy: null, egress: 'direct' }), { ...live, cooldowns: [] }, now).status).toBe('active');
  });

  it('without Redis shows the database’s facts and no live ones', () => {
    const state = presentAccountState(row(), undefined, now);
    expect(state).toMatchObject({ status: 'active', stateAvailable: false, cooldowns: [], quotaResetAt: null, lastError: null, affinityBindings: null });
    expect(state.rateWindow).toEqual({ requests: null, windowSeconds: 60, limit: 60 });
    expect(state.lastUsedAt).toBe('2026-12-07T11:59:00.000Z');
  });

  it('calls a proxy past its failures unhealthy and never shows its credentials', () => {
    const proxy = { ...row().proxy!, failureCount: 5 };
    const state = presentAccountState(row({ proxy }), live, now);
    expect(state.proxy?.healthy).toBe(false);
    expect(JSON.stringify(state)).not.toMatch(/hunter2|user:|v1\.secret/);
    expect(proxyUrlWithoutCredentials('socks5://a:b@h:1080')).toBe('socks5://h:1080');
  });
});
