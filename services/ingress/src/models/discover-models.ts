import { randomUUID } from 'node:crypto';
import { AppError, toAppError } from '@aigw/errors';
import type { Account, Credential, ListModelsRequest, ListModelsResponse } from '@aigw/proto';
import type { Backends } from '../proxying/backends.js';
import type { CredentialCache } from '../proxying/credential-cache.js';
import type { DiscoverModels } from './model-catalog.js';
import type { DiscoveredModel } from './model-listing.js';

/** What a model-list fetch needs from the backends (a subset of the request path's, plus ListModels). */
export interface ModelListBackends extends Pick<Backends, 'selectAccount' | 'invalidateCredential'> {
  listModels(request: ListModelsRequest, deadline: number): Promise<ListModelsResponse>;
}

/**
 * The name under which selector picks the account that fetches a model list: its own round-robin counter
 * and cooldowns, apart from any client model's.
 */
export const MODEL_LIST_SELECTOR_MODEL = 'models:list';

/** Accounts tried per fetch: a refused credential or a broken account should not hide the provider's list. */
const ACCOUNTS_TRIED = 3;

const SELECTOR_GAVE_UP: ReadonlySet<string> = new Set(['NO_ACCOUNT', 'ACCOUNTS_EXHAUSTED']);

/** ListModels says an upstream 401/403 (the account's credential was refused) with these codes. */
function credentialRefused(error: AppError): boolean {
  return error.code === 'UNAUTHENTICATED' || error.code === 'PERMISSION_DENIED';
}

function toDiscovered(response: ListModelsResponse): DiscoveredModel[] {
  return response.models.map((model) => ({
    id: model.id,
    displayName: model.displayName,
    inputTokenLimit: model.inputTokenLimit,
    outputTokenLimit: model.outputTokenLimit,
    createdAtMs: model.createdAt * 1000,
  }));
}

/**
 * Fetches a provider's model list the way a client request reaches it: an account from selector, its
 * credential from the edge cache (auth behind it), ListModels through provider-call (the account's proxy).
 * On failure the next account is tried; a refused credential is dropped and invalidated first.
 */
export function discoverModels(backends: ModelListBackends, credentials: CredentialCache, backendTimeoutMs: number): DiscoverModels {
  return async (provider, deadline) => {
    const exclude: number[] = [];
    let last: AppError = new AppError('NO_ACCOUNT', `no account of ${provider.providerName} could list its models`);
    for (let attempt = 0; attempt < ACCOUNTS_TRIED && Date.now() < deadline; attempt++) {
      const step = () => Math.min(deadline, Date.now() + backendTimeoutMs);
      let account: Account;
      try {
        // No affinity key: the fetching account rotates like any new conversation.
        ({ account } = await backends.selectAccount(provider.providerId, MODEL_LIST_SELECTOR_MODEL, exclude, '', step()));
      } catch (error) {
        const appError = toAppError(error);
        if (SELECTOR_GAVE_UP.has(appError.code) && exclude.length > 0) throw last;
        throw appError;
      }
      exclude.push(account.id);
      try {
        const credential: Credential = await credentials.get(account.id, step());
        return toDiscovered(await backends.listModels({ requestId: randomUUID(), account, credential }, deadline));
      } catch (error) {
        last = toAppError(error);
        if (credentialRefused(last)) {
          credentials.drop(account.id);
          await backends.invalidateCredential(account.id, step()).catch(() => undefined);
        }
      }
    }
    throw last;
  };
}
