import type { CallContext } from '@aigw/grpc';
import { CountTokensResponse, type CountTokensRequest } from '@aigw/proto';
import { jsonText } from '@aigw/formats';
import type { HeaderProtocol } from '@aigw/client-headers';
import { clientCodecFor, providerAdapterFor } from '../adapters/adapter-registry.js';
import type { WireFormatName } from '../adapters/client-codec.js';
import { asCount, asRecord, parseJson, type JsonRecord } from '../ir/json-shape.js';
import type { InvokeDeps } from '../invoke/invoke-unary.js';
import { addClientHeaders, requireAccount, upstreamTarget } from '../invoke/plan-exchange.js';
import { failureReport } from '../upstream/failure-report.js';
import { decodeCount, upstreamCount } from './count-plan.js';
import { estimateInputTokens } from './token-estimate.js';
import { egressProxyId } from '../proxies/egress-proxy-id.js';

/**
 * Upstream answers that leave the client with the upstream's own answer: the request itself is wrong (the
 * client's to fix), or the account's credential is (ingress refreshes it and tries another account). Any other
 * failure of the count endpoint (missing, rate-limited — Anthropic limits counting apart from messages —,
 * failing, unreachable, unreadable) gives way to the local estimate: a count is advice, not worth an error.
 */
const ANSWERED_AS_IS: ReadonlySet<number> = new Set([400, 401, 403, 413, 422]);

/** The count in the client's shape; a Gemini upstream's own answer goes to a Gemini client whole. */
export function countAnswer(format: WireFormatName, inputTokens: number, upstream?: JsonRecord): string {
  if (format === 'anthropic') return JSON.stringify({ input_tokens: inputTokens });
  if (upstream !== undefined && upstream.totalTokens !== undefined) return JSON.stringify(upstream);
  return JSON.stringify({ totalTokens: inputTokens });
}

/** The count a provider's count endpoint answered (Anthropic input_tokens, Google totalTokens); undefined when unreadable. */
export function readUpstreamCount(text: string): { tokens: number; body: JsonRecord } | undefined {
  const body = asRecord(parseJson(text));
  if (body === undefined) return undefined;
  const value = body.input_tokens ?? body.totalTokens;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return undefined;
  return { tokens: asCount(value), body };
}

/**
 * CountTokens: the provider's own count endpoint through the account's proxy where it has one, else (or when
 * that endpoint fails) a local estimate, answered in the client's shape.
 */
export async function countTokens(deps: InvokeDeps, request: CountTokensRequest, ctx: CallContext): Promise<CountTokensResponse> {
  const account = requireAccount(request);
  const codec = clientCodecFor(request.clientFormat);
  const body = parseJson(jsonText(request.body));
  const decoded = decodeCount(codec, body);
  const target = upstreamTarget(request, account);
  const provider = providerAdapterFor(account.providerKind, account.providerWire);
  const upstream = upstreamCount(codec, account.providerKind, body, decoded, target);
  const estimate = async (dropped: string[]) => {
    const tokens = await estimateInputTokens(decoded.ir);
    return CountTokensResponse.fromPartial({ status: 200, body: Buffer.from(countAnswer(codec.format, tokens)), inputTokens: tokens, estimated: true, droppedFields: dropped });
  };
  if (upstream === undefined) {
    // No count call, so no client header reaches the upstream: every one is named (or, if consumed, honoured).
    const unsent = addClientHeaders({ url: '', headers: {}, body: '' }, request.clientHeaders, codec.format as HeaderProtocol, '');
    return estimate([...decoded.dropped, ...unsent]);
  }
  const dropped = [...new Set([...upstream.dropped, ...addClientHeaders(upstream.request, request.clientHeaders, codec.format as HeaderProtocol, account.providerKind)])];

  const answer = await deps.upstream.exchange(upstream.request, egressProxyId(account), ctx);
  if (answer.kind === 'failed') {
    if (ctx.signal.aborted) throw answer.error;
    deps.logger.info({ requestId: request.requestId, accountId: account.id, code: answer.error.code }, 'count endpoint failed; estimating');
    return estimate(dropped);
  }
  if (answer.status >= 200 && answer.status < 300) {
    const count = readUpstreamCount(answer.text);
    if (count !== undefined) {
      const passthrough = codec.format === 'gemini' && account.providerKind === 'gemini' ? count.body : undefined;
      return CountTokensResponse.fromPartial({ status: 200, body: Buffer.from(countAnswer(codec.format, count.tokens, passthrough)), inputTokens: count.tokens, droppedFields: dropped });
    }
    deps.logger.warn({ requestId: request.requestId, accountId: account.id }, 'unreadable count answer; estimating');
    return estimate(dropped);
  }
  if (!ANSWERED_AS_IS.has(answer.status)) {
    deps.logger.info({ requestId: request.requestId, accountId: account.id, status: answer.status }, 'count endpoint refused; estimating');
    return estimate(dropped);
  }
  const error = provider.decodeError(answer.status, answer.text);
  return CountTokensResponse.fromPartial({
    status: answer.status,
    body: Buffer.from(codec.encodeError({ status: answer.status, message: error.message })),
    ...failureReport(answer.headers, answer.text, error.retryAfterMs),
    droppedFields: dropped,
  });
}
