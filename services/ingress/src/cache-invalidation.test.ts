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

  it('fetches the model lists again after the routing table: all on account or provider changes, new ones on route changes', async () => {
    const { routes } = setup();
    const refreshes: Array<[boolean, number]> = [];
    let loadsSeen = 0;
    const models = { refresh: async (force: boolean) => void refreshes.push([force, loadsSeen]) };
    const onChange = invalidateOnChange(
      {
        routes: new Proxy(routes, { get: (target, key) => (key === 'refresh' ? () => target.refresh().then(() => void (loadsSeen += 1)) : Reflect.get(target, key)) }),
        apiKeys: new ApiKeyCache({ findByHash: async () => null }, { ttlMs: 1_000, negativeTtlMs: 1_000 }),
        credentials: new CredentialCache(async () => ({ headerName: 'a', headerValue: 'b', expiresAtMs: 0 }), { maxAgeMs: 1_000 }),
        models: models as never,
      },
      silentLogger,
    );
    onChange({ entity: 'account', id: 3 });
    await vi.waitFor(() => expect(refreshes).toEqual([[true, 1]]));
    onChange({ entity: 'route', id: 1 });
    await vi.waitFor(() => expect(refreshes).toEqual([[true, 1], [false, 2]]));
    onChange({ entity: 'provider', id: 1 });
    await vi.waitFor(() => expect(refreshes).toEqual([[true, 1], [false, 2], [true, 3]]));
    onChange({ entity: 'api_key', id: 1 });
    onChange({ entity: 'proxy', id: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(refreshes).toHaveLength(3);
  });

  it('leaves the routing table alone on proxy changes', async () => {
    const { routes, onChange, loads } = setup();
    await routes.refresh();
    onChange({ entity: 'proxy', id: 1 });
    expect(loads()).toBe(1);
  });
});
