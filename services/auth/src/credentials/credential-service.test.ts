import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import type { OAuthTokens } from '../oauth/oauth-tokens.js';
import type { AccountStore } from './account-store.js';
import { CredentialService } from './credential-service.js';

describe('CredentialService', () => {
  it('keeps serving an account loaded before while reloading it fails (MySQL unreachable), for a bounded time', async () => {
    let now = 0;
    let mysqlUp = true;
    let deleted = false;
    const store = {
      load: async () => {
        if (deleted) throw new AppError('NOT_FOUND', 'account 1 not found');
        if (!mysqlUp) throw new Error('connect ECONNREFUSED');
        return { secret: { authType: 'api_key', apiKey: 'sk-1' }, providerKind: 'openai', providerName: 'openai' };
      },
    } as unknown as AccountStore;
    const service = new CredentialService(store, {} as OAuthTokens, 60_000, () => now);
    const first = await service.credential(1);
    mysqlUp = false;
    now = 120_000;
    expect(await service.credential(1)).toEqual(first);
    // An answer from MySQL is not an outage: a deleted account stops at once.
    deleted = true;
    await expect(service.credential(1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    deleted = false;
    now = 60_000 + 3_600_000 + 1;
    await expect(service.credential(1)).rejects.toThrow('ECONNREFUSED');
    await expect(service.credential(2)).rejects.toThrow('ECONNREFUSED');
  });
});
