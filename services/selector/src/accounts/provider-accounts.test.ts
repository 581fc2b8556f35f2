import { describe, expect, it } from 'vitest';
import { toProviderAccounts, type ProviderRow } from './provider-accounts.js';

const account = (id: number, overrides: Partial<ProviderRow['accounts'][number]> = {}) => ({
  id,
  label: `acct-${id}`,
  authType: 'api_key',
  baseUrl: null,
  settings: null,
  proxyId: null,
  rateLimitPerMin: null,
  ...overrides,
});

describe('toProviderAccounts', () => {
  const [ring] = toProviderAccounts([
    {
      id: 4,
      name: 'antigravity',
      kind: 'antigravity',
      wire: null,
      baseUrl: 'https://cloudcode.example',
      accounts: [
        account(9, { authType: 'oauth', settings: '{"project":"p1"}', proxyId: 3, rateLimitPerMin: 60 }),
        account(2, { baseUrl: 'https://own.example', rateLimitPerMin: 0 }),
      ],
    },
  ]);

  it('orders the ring by account id', () => {
    expect(ring?.accounts.map((a) => a.account.id)).toEqual([2, 9]);
  });

  it('prefers the account base URL and falls back to the provider one', () => {
    expect(ring?.accounts.map((a) => a.account.baseUrl)).toEqual(['https://own.example', 'https://cloudcode.example']);
  });

  it('fills the proto account with provider facts, proxy and settings', () => {
    expect(ring?.accounts[1]).toEqual({
      account: {
        id: 9,
        providerId: 4,
        providerName: 'antigravity',
        providerKind: 'antigravity',
        label: 'acct-9',
        baseUrl: 'https://cloudcode.example',
        proxyId: 3,
        authType: 'oauth',
        settingsJson: '{"project":"p1"}',
        providerWire: '',
      },
      limit: 60,
    });
  });

  it('treats a missing or zero limit as unlimited and a missing proxy as direct', () => {
    expect(ring?.accounts[0]).toMatchObject({ limit: 0, account: { proxyId: 0, settingsJson: '' } });
  });
});
