import { describe, expect, it, vi } from 'vitest';
import { rule, silentLogger } from '../test/support/fake-deps.js';
import { invalidateOnChange } from './cache-invalidation.js';
import { ApiKeyCache } from './keys/api-key-cache.js';
import { CredentialCache } from './proxying/credential-cache.js';
import { RouteCache } from './routing/route-cache.js';

function setup() {
  let staffed = false;
  let loads = 0;
  const routes = new RouteCache(async () => {
    loads += 1;
    return [rule('gpt-4o', { providerHasAccounts: staffed })];
  }, () => undefined);
  const caches = {
    routes,
    apiKeys: new ApiKeyCache({ findByHash: async () => null }, { ttlMs: 1_000, negativeTtlMs: 1_000 }),
    credentials: new CredentialCache(async () => ({ headerName: 'a', headerValue: 'b', expiresAtMs: 0 }), { maxAgeMs: 1_000 }),
  };
  return { routes, onChange: invalidateOnChange(caches, silentLogger), staff: () => (staffed = true), loads: () => loads };
}

describe('invalidateOnChange', () => {
  it('reloads the routing table when an account changes, so model lists follow active accounts', async () => {
    const { routes, onChange, staff, loads } = setup();
    await routes.refresh();
    expect(routes.listModels()).toEqual([]);
    staff();
    onChange({ entity: 'account', id: 3 });
    expect(loads()).toBe(2);
    await vi.waitFor(() => expect(routes.listModels().map((m) => m.id)).toEqual(['gpt-4o']));
  });

  it('leaves the routing table alone on proxy changes', async () => {
    const { routes, onChange, loads } = setup();
    await routes.refresh();
    onChange({ entity: 'proxy', id: 1 });
    expect(loads()).toBe(1);
  });
});
