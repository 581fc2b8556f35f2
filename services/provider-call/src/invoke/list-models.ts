import { AppError } from '@aigw/errors';
import type { CallContext } from '@aigw/grpc';
import { ListModelsResponse, type ListModelsRequest, type UpstreamModel } from '@aigw/proto';
import { providerAdapterFor } from '../adapters/adapter-registry.js';
import { parseJson } from '../ir/json-shape.js';
import { retryAfterMs } from '../upstream/retry-after.js';
import type { InvokeDeps } from './invoke-unary.js';
import { requireAccount, upstreamTarget } from './plan-exchange.js';
import { egressProxyId } from '../proxies/egress-proxy-id.js';

/** Bound on pages per list: a provider that keeps answering a next page must not hold the call forever. */
const MAX_PAGES = 50;

/**
 * ListModels: the account's upstream model list, every page, through the account's proxy with its credential.
 * An upstream refusal keeps its meaning across gRPC (which carries the code, not the details): 401 is
 * UNAUTHENTICATED and 403 PERMISSION_DENIED (the account's credential was refused, so the caller may refresh
 * it), anything else UPSTREAM_ERROR with its Retry-After; the upstream status is also in `details.upstream_status`.
 */
export async function listModels(deps: InvokeDeps, request: ListModelsRequest, ctx: CallContext): Promise<ListModelsResponse> {
  const account = requireAccount(request);
  const provider = providerAdapterFor(account.providerKind, account.providerWire);
  const target = upstreamTarget({ upstreamModel: '', credential: request.credential }, account);
  const found = new Map<string, UpstreamModel>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await deps.upstream.exchange(provider.listModels.pageRequest(target, pageToken), egressProxyId(account), ctx);
    if (answer.kind === 'failed') throw answer.error;
    if (answer.status < 200 || answer.status > 299) {
      const error = provider.decodeError(answer.status, answer.text);
      const retryAfter = retryAfterMs(answer.headers) ?? error.retryAfterMs;
      const code = answer.status === 401 ? 'UNAUTHENTICATED' : answer.status === 403 ? 'PERMISSION_DENIED' : 'UPSTREAM_ERROR';
      throw new AppError(code, `model list answered ${answer.status}: ${error.message}`, {
        ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
        details: { upstream_status: String(answer.status) },
      });
    }
    const body = parseJson(answer.text);
    if (body === undefined) throw new AppError('UPSTREAM_ERROR', 'model list is not valid JSON');
    const { models, nextPageToken } = provider.listModels.readPage(body);
    for (const model of models) if (!found.has(model.id)) found.set(model.id, model);
    if (nextPageToken === undefined || nextPageToken === pageToken) break;
    pageToken = nextPageToken;
  }
  deps.logger.debug({ requestId: request.requestId, accountId: account.id, models: found.size }, 'upstream model list read');
  return ListModelsResponse.fromPartial({ models: [...found.values()] });
}
