import { describe, expect, it } from 'vitest';
import { createLogger } from '@aigw/logger';
import { AccountCache } from './account-cache.js';
import type { ProviderAccounts } from './provider-accounts.js';

const logger = createLogger({ service: 'test', level: 'silent' });

function ring(providerId: number, accountIds: number[]): ProviderAccounts {
  return {
    providerId,
    providerName: `p${providerId}`,
    accounts: accountIds.map((id) => ({
      limit: 0,
      account: { id, providerId, providerName: `p${providerId}`, providerKind: 'openai', label: '', baseUrl: '', proxyId: 0, authType: 'api_key', settingsJson: '' },
    })),
  };
}

/** A loader whose answers the test releases one by one. */
function gatedLoader() {
  const gates: ((value: ProviderAccounts[]) => void)[] = [];
  const load = () => new Promise<ProviderAccounts[]>((resolve) => gates.push(resolve));
  return { load, gates };
}

describe('AccountCache', () => {
  it('answers rings and account homes from the last load', async () => {
    const cache = new AccountCache(async () => [ring(1, [10, 11]), ring(2, [])], logger);
    await cache.start(60_000);
    expect(cache.provider(1)?.accounts.map((a) => a.account.id)).toEqual([10, 11]);
    expect(cache.provider(2)?.accounts).toEqual([]);
    expect(cache.provider(3)).toBeUndefined();
    expect(cache.home(11)).toEqual({ providerId: 1, providerName: 'p1' });
    cache.stop();
  });

  it('runs one more load after a refresh requested mid-load, however many were requested', async () => {
    const { load, gates } = gatedLoader();
    const cache = new AccountCache(load, logger);
    const first = cache.refresh();
    const second = cache.refresh();
    const third = cache.refresh();
    expect(second).toBe(third);
    gates[0]!([ring(1, [10])]);
    await first;
    await Promise.resolve();
    expect(gates).toHaveLength(2);
    gates[1]!([ring(1, [10, 12])]);
    await second;
    expect(cache.provider(1)?.accounts.map((a) => a.account.id)).toEqual([10, 12]);
    expect(gates).toHaveLength(2);
  });

  it('keeps the previous snapshot when a reload fails', async () => {
    let fail = false;
    const cache = new AccountCache(async () => {
      if (fail) throw new Error('db down');
      return [ring(1, [10])];
    }, logger);
    await cache.refresh();
    fail = true;
    await cache.refresh();
    expect(cache.provider(1)?.accounts).toHaveLength(1);
  });
});
