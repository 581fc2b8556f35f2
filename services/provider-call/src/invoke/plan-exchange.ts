import { planClientHeaders, type ClientHeader, type HeaderProtocol } from '@aigw/client-headers';
import { AppError } from '@aigw/errors';
import { JSON_ARRAY_FRAMING, jsonText, SSE_FRAMING } from '@aigw/formats';
import { ClientFormat, StreamFraming, type Account, type Credential, type InvokeRequest } from '@aigw/proto';
import { clientCodecFor, providerAdapterFor } from '../adapters/adapter-registry.js';
import type { WireFormatName } from '../adapters/client-codec.js';
import type { Exchange, UpstreamRequest, UpstreamTarget } from '../adapters/provider-adapter.js';
import { embeddingsExchange } from '../embeddings/embeddings-exchange.js';
import { asRecord, parseJson } from '../ir/json-shape.js';
import { translatedExchange } from './translated-exchange.js';

/** The account of a request; every call names one. */
export function requireAccount(request: { account?: Account | undefined }): Account {
  if (request.account === undefined || request.account.id === 0) throw new AppError('INVALID_REQUEST', 'request names no account');
  return request.account;
}

/** Where the call goes and as whom, from the account selector picked and auth's credential. */
export function upstreamTarget(request: { upstreamModel: string; credential?: Credential | undefined }, account: Account): UpstreamTarget {
  if (account.baseUrl === '') throw new AppError('UPSTREAM_ERROR', `account ${account.id} has no base URL`);
  const target: UpstreamTarget = {
    accountId: account.id,
    baseUrl: account.baseUrl,
    model: request.upstreamModel,
    settings: asRecord(account.settingsJson === '' ? undefined : parseJson(account.settingsJson)) ?? {},
  };
  if (account.authType === 'oauth') target.oauth = true;
  const credential = request.credential;
  if (credential !== undefined && credential.headerName !== '') {
    target.credential = { headerName: credential.headerName, headerValue: credential.headerValue };
  }
  return target;
}

/**
 * Plans one upstream call: an embeddings exchange for embeddings; for chat, pass-through when the client
 * already speaks the provider's format, translation through the IR otherwise. Throws INVALID_REQUEST for a body the client must fix.
 */
export function planExchange(request: InvokeRequest, stream: boolean): Exchange {
  const account = requireAccount(request);
  const provider = providerAdapterFor(account.providerKind, account.providerWire);
  const target = upstreamTarget(request, account);
  const parsed = () => {
    const body = parseJson(jsonText(request.body));
    if (body === undefined) throw new AppError('INVALID_REQUEST', 'request body is not valid JSON');
    return body;
  };
  if (request.clientFormat === ClientFormat.CLIENT_FORMAT_OPENAI_EMBEDDINGS) {
    const body = parsed();
    const exchange = embeddingsExchange(provider, account, body, target);
    const dropped = addClientHeaders(exchange.request, request.clientHeaders, 'openai', account.providerKind);
    if (dropped.length > 0) exchange.droppedFields = [...exchange.droppedFields, ...dropped];
    return exchange;
  }
  const codec = clientCodecFor(request.clientFormat);
  const framing = request.streamFraming === StreamFraming.STREAM_FRAMING_JSON_ARRAY ? JSON_ARRAY_FRAMING : SSE_FRAMING;
  const ctx = { requestId: request.requestId, model: request.upstreamModel, framing, responseId: request.responseId };
  const passthrough = provider.passthrough?.format === codec.format ? provider.passthrough : undefined;
  const exchange =
    passthrough === undefined
      ? translatedExchange(codec, provider, parsed(), target, stream, ctx)
      : (passthrough.createExchangeFromBytes?.(request.body, target, stream, ctx) ?? passthrough.createExchange(parsed(), target, stream, ctx));
  const dropped = addClientHeaders(exchange.request, request.clientHeaders, headerProtocolOf(codec.format), account.providerKind);
  if (dropped.length > 0) exchange.droppedFields = [...exchange.droppedFields, ...dropped];
  return exchange;
}

/** The protocol whose headers a client format's requests carry: the Responses API's are OpenAI's (openai-beta, …). */
function headerProtocolOf(format: WireFormatName): HeaderProtocol {
  return format === 'responses' ? 'openai' : (format as HeaderProtocol);
}

/** Headers the gateway sets by default that a client of the same protocol may set instead. */
const CLIENT_MAY_REPLACE: ReadonlySet<string> = new Set(['anthropic-version']);

/**
 * Comma-separated lists the gateway may set itself (an OAuth account's `anthropic-beta`) that a client's own
 * list joins: both sets of values go upstream.
 */
const CLIENT_MAY_EXTEND: ReadonlySet<string> = new Set(['anthropic-beta']);

/** `ours` then the client's values it lacks, comma-separated. */
function mergedList(ours: string, theirs: string): string {
  const values = ours.split(',').map((value) => value.trim()).filter((value) => value !== '');
  for (const value of theirs.split(',')) {
    const trimmed = value.trim();
    if (trimmed !== '' && !values.includes(trimmed)) values.push(trimmed);
  }
  return values.join(',');
}

/**
 * Adds the client headers the upstream takes (see @aigw/client-headers) to an upstream request, never over a
 * header the gateway set for authentication or content (the adapter's own API version may be replaced by the
 * client's: its body is written for that version; a list the adapter set, such as the OAuth beta, is merged
 * with the client's). Returns the `header:<name>` entries it could not carry.
 */
export function addClientHeaders(
  request: UpstreamRequest,
  clientHeaders: readonly ClientHeader[],
  clientProtocol: HeaderProtocol,
  providerKind: string,
): string[] {
  if (clientHeaders.length === 0) return [];
  const own = request.headers;
  const isProtected = (name: string) => name in own && !CLIENT_MAY_REPLACE.has(name) && !CLIENT_MAY_EXTEND.has(name);
  const plan = planClientHeaders(clientHeaders, clientProtocol, providerKind, isProtected);
  for (const { name, value } of plan.forward) {
    const ours = own[name];
    own[name] = ours !== undefined && CLIENT_MAY_EXTEND.has(name) ? mergedList(ours, value) : value;
  }
  return plan.dropped;
}
