import { describe, expect, it } from 'vitest';
import { accountsWithoutProxy, toProviderAccounts, type ProviderRow } from './provider-accounts.js';

const account = (id: number, overrides: Partial<ProviderRow['accounts'][number]> = {}) => ({
  id,
  label: `acct-${id}`,
  authType: 'api_key',
  baseUrl: null,
  settings: null,
  proxyId: null,
  egress: 'direct',
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
        account(9, { authType: 'oauth', settings: '{"project":"p1"}', proxyId: 3, egress: 'pool', rateLimitPerMin: 60 }),
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
        poolEgress: true,
      },
      limit: 60,
    });
  });

  it('treats a missing or zero limit as unlimited, and an account the operator sent direct as direct', () => {
    expect(ring?.accounts[0]).toMatchObject({ limit: 0, account: { proxyId: 0, settingsJson: '', poolEgress: false } });
  });
});

describe('accounts bound to the proxy pool (DESIGN §9)', () => {
  const rows: ProviderRow[] = [
    {
      id: 1,
      name: 'openai',
      kind: 'openai',
      wire: null,
      baseUrl: 'https://api.example',
      accounts: [
        account(1, { egress: 'pool', proxyId: 7 }),
        account(2, { egress: 'pool', proxyId: null }),
        account(3, { egress: 'direct', proxyId: null }),
      ],
    },
  ];

  it('leaves a pool account without a proxy out of the ring, never sending it direct', () => {
    const [ring] = toProviderAccounts(rows);
    expect(ring?.accounts.map((a) => [a.account.id, a.account.proxyId, a.account.poolEgress])).toEqual([
      [1, 7, true],
      [3, 0, false],
    ]);
  });

  it('names the accounts it left out', () => {
    expect(accountsWithoutProxy(rows)).toEqual([{ id: 2, label: 'acct-2', providerName: 'openai' }]);
  });

  it('gives a provider whose every account waits for a proxy an empty ring (the usual no-account answer)', () => {
    const [ring] = toProviderAccounts([{ ...rows[0]!, accounts: [account(4, { egress: 'pool' })] }]);
    expect(ring?.accounts).toEqual([]);
  });
});
