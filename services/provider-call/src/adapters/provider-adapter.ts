import type { UpstreamModel } from '@aigw/proto';
import type { IrError, IrRequest, IrResponse, IrStreamEvent, IrUsage } from '../ir/chat-ir.js';
import type { SseEvent } from '@aigw/formats';
import type { EncodeContext, WireFormatName } from './client-codec.js';

/** Where and as whom one upstream call goes. */
export interface UpstreamTarget {
  accountId: number;
  baseUrl: string;
  /** Model name sent upstream. */
  model: string;
  /** Header that authenticates the account; absent for upstreams without auth. */
  credential?: { headerName: string; headerValue: string };
  /** The account's non-secret settings (settings_json), e.g. {project} for antigravity. */
  settings: Readonly<Record<string, unknown>>;
  /**
   * The account authenticates with an OAuth access token (a subscription logged in or imported: auth_type
   * "oauth"), not an API key or a static bearer; adapters send what the subscription's own client sends.
   */
  oauth?: boolean;
}

/** An HTTP request ready for undici: POST with a JSON body, or a GET (model lists) whose body is ignored. */
export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  /**
   * The JSON body: text when the gateway wrote it, bytes when they are the client's own (a pass-through), which
   * go out as they are. Turning a 100 KB body with some non-ASCII text into a string and back costs ≈ 0.8 ms.
   */
  body: string | Uint8Array;
  /** POST when absent. */
  method?: 'GET' | 'POST';
  /**
   * Set where the upstream answers only as a stream though the client asked for a whole answer (the Codex
   * backend): turns the collected 2xx body into the whole answer the exchange reads. Throws AppError UPSTREAM_ERROR.
   */
  streamedAnswer?: (text: string) => string;
}

/** One page of an upstream's model list, read into the proto's shape. */
export interface ModelPage {
  models: UpstreamModel[];
  /** Where the next page starts; absent on the last page. */
  nextPageToken?: string;
}

/** How a provider lists the models it serves: the request for one page, and how to read the page. */
export interface ModelListing {
  pageRequest(target: UpstreamTarget, pageToken: string | undefined): UpstreamRequest;
  /** Reads a 2xx JSON body; throws AppError UPSTREAM_ERROR when it is not the expected shape. */
  readPage(body: unknown): ModelPage;
}

/** Turns a provider's SSE events into IR events; one instance per stream. */
export interface StreamDecoder {
  /** Throws AppError UPSTREAM_ERROR when an event cannot be read. */
  push(event: SseEvent): IrStreamEvent[];
  /** Events owed at a clean end of the body. */
  end(): IrStreamEvent[];
}

/** An upstream error body reduced to a message, plus the retry hint some providers put in the body. */
export interface DecodedUpstreamError extends IrError {
  retryAfterMs?: number;
}

/**
 * One provider wire format: build URL, headers and body from the IR; read the answer, the stream and
 * the errors back into the IR. `passthrough` serves clients that already speak this format.
 */
export interface ProviderAdapter {
  readonly format: WireFormatName;
  /** Builds the upstream request; `dropped` lists IR fields this provider cannot carry. */
  buildRequest(ir: IrRequest, target: UpstreamTarget): { request: UpstreamRequest; dropped: string[] };
  /** Reads a 2xx JSON body; throws AppError UPSTREAM_ERROR when it is not the expected shape. */
  decodeResponse(body: unknown): IrResponse;
  createStreamDecoder(): StreamDecoder;
  decodeError(status: number, bodyText: string): DecodedUpstreamError;
  passthrough?: PassthroughFactory;
  /** True when a stream reports its prompt's token count only after the last token (OpenAI's include_usage). */
  readonly streamUsageLast?: boolean;
  /** The upstream's own model list (ListModels). */
  listModels: ModelListing;
  /** OpenAI-shaped embeddings (POST /v1/embeddings) through this kind; absent where the kind has none. */
  embeddings?: EmbeddingsAdapter;
}

/** What an embeddings call reads from the client's body (checked by ingress with embeddingsRequestSchema). */
export interface EmbeddingsCall {
  /** The fields as the client sent them. */
  body: Record<string, unknown>;
  /** Every input, one entry each: texts, or token-id arrays. */
  inputs: string[] | number[][];
  dimensions?: number;
  /** The client wants each vector as base64 of little-endian float32 (OpenAI's `encoding_format: "base64"`). */
  base64: boolean;
}

/** One provider kind's embeddings: the upstream request, and its answer read back into OpenAI's shape. */
export interface EmbeddingsAdapter {
  /**
   * The upstream requests, at least one: more where the upstream takes fewer inputs per request than the client
   * sent (they go one after another). `dropped` lists client fields the kind cannot carry. INVALID_REQUEST for
   * input the kind cannot take.
   */
  buildRequests(call: EmbeddingsCall, target: UpstreamTarget): { requests: [UpstreamRequest, ...UpstreamRequest[]]; dropped: string[] };
  /**
   * The 2xx bodies (one per request, in order) as OpenAI's `{object:"list", data, model, usage}`; `promptTokens`
   * is the local count, used where the upstream reports none. Throws AppError UPSTREAM_ERROR for an unexpected shape.
   */
  readResponse(texts: readonly string[], call: EmbeddingsCall, target: UpstreamTarget, promptTokens: number): { body: string; usage: IrUsage };
}

/** How one call's answer is read back in the client's format (translated or passed through). */
export interface Exchange {
  request: UpstreamRequest;
  droppedFields: string[];
  /**
   * Requests of the same call sent after `request`, one at a time, each once the one before answered 2xx (an
   * upstream that takes fewer embeddings inputs per request than the client sent); absent for one request.
   */
  moreRequests?: readonly UpstreamRequest[];
  /**
   * A 2xx body in the client's format with its usage; throws AppError UPSTREAM_ERROR when unreadable.
   * `promptTokens`: what promptEstimate gave, when the exchange has one (an upstream that reports no usage);
   * `more`: the 2xx bodies of moreRequests, in order.
   */
  readResponse(text: string, promptTokens?: number, more?: readonly string[]): { body: string; usage: IrUsage };
  /** A non-2xx upstream body in the client's format, with any retry hint found in it. */
  readError(status: number, text: string): { body: string; retryAfterMs?: number };
  /** An error of our own (unreadable answer, broken stream) in the client's format. */
  errorBody(error: IrError): string;
  /**
   * A local estimate of the prompt's tokens, for a stream whose client reads the count before the first
   * content while the upstream reports it only at the end, or for an answer that may carry no count at all
   * (embeddings); absent where the upstream's own count comes in time.
   */
  promptEstimate?: () => Promise<number>;
  /** `promptTokens`: what promptEstimate gave, when the exchange has one. */
  openStream(promptTokens?: number): StreamTranslator;
}

/** Upstream SSE events in, client SSE text out; one instance per stream. */
export interface StreamTranslator {
  begin(): string;
  /** Throws AppError UPSTREAM_ERROR when the upstream event cannot be read. */
  push(event: SseEvent): string;
  end(): string;
  fail(error: IrError): string;
  /** Usage seen so far (complete after a clean end). */
  usage(): IrUsage | undefined;
}

/** Builds the exchange for a client body already in the provider's own format. */
export interface PassthroughFactory {
  readonly format: WireFormatName;
  /** Validates the parsed body lightly (the upstream validates it fully) and forwards it. */
  createExchange(body: unknown, target: UpstreamTarget, stream: boolean, ctx: EncodeContext): Exchange;
  /**
   * The same exchange from the client's bytes, unparsed, changing only the members this call sets (see
   * json-members.ts); undefined when this body or account needs the parsed path. Ingress parsed and checked the
   * body already, so a pass-through of a large agent turn costs this service no parse and no serialisation.
   */
  createExchangeFromBytes?(raw: Uint8Array, target: UpstreamTarget, stream: boolean, ctx: EncodeContext): Exchange | undefined;
}
