import type { ClientHeader } from '@aigw/client-headers';
import type { StreamEvent, StreamFramingName } from '@aigw/formats';
import { AffinityOutcome, type Account, type CountTokensRequest, type CountTokensResponse, type Credential, type InvokeRequest, type InvokeResponse, type StreamChunk, type Usage } from '@aigw/proto';
import type { PriceOverride } from '@aigw/pricing';
import type { ClientProtocol } from '../protocol/client-protocol.js';
import type { ResolvedRoute } from '../routing/route-table.js';

/** A server-streaming call in progress: its chunks, and a way to abandon it (which aborts upstream). */
export interface StreamCall extends AsyncIterable<StreamChunk> {
  cancel(): void;
}

/** Selector's answer: the account for an attempt and what session affinity did to choose it. */
export interface Selection {
  account: Account;
  affinity: AffinityOutcome;
}

/** What the upstream said with a refusal, passed on to the selector: its retry hint's source, quota reset (unix s), message. */
export interface OutcomeHint {
  retryAfterSource: string;
  resetAtS: number;
  message: string;
}

/** The three gRPC backends as the attempt loop uses them; deadlines are absolute ms. Errors are AppErrors. */
export interface Backends {
  /** `affinityKey` '' is plain round robin. */
  selectAccount(providerId: number, model: string, exclude: readonly number[], affinityKey: string, deadline: number): Promise<Selection>;
  /** Fire and forget: failures are logged, never awaited by a request. */
  reportOutcome(accountId: number, model: string, statusCode: number, retryAfterMs: number, hint?: OutcomeHint): void;
  getCredential(accountId: number, deadline: number): Promise<Credential>;
  invalidateCredential(accountId: number, deadline: number): Promise<void>;
  invoke(request: InvokeRequest, deadline: number, signal: AbortSignal): Promise<InvokeResponse>;
  invokeStream(request: InvokeRequest, deadline: number): StreamCall;
  countTokens(request: CountTokensRequest, deadline: number, signal: AbortSignal): Promise<CountTokensResponse>;
}

/** Where a streamed answer goes: the client's HTTP response. */
export interface StreamSink {
  /** Sends the SSE headers; called once, when the first data chunk is ready. */
  begin(droppedFields: readonly string[]): void;
  /** Writes provider-call's bytes (already framed), waiting for the socket to drain; false once the client has gone. */
  write(chunk: Buffer): Promise<boolean>;
  /** Writes an event of ingress's own (an error after the stream began), framed like the rest of the stream. */
  writeEvent(event: StreamEvent): Promise<boolean>;
  end(): void;
}

/** One client request as the attempt loop sees it. */
export interface ProxyRequest {
  requestId: string;
  protocol: ClientProtocol;
  /** The client's body bytes, exactly as received. */
  body: Buffer;
  route: ResolvedRoute;
  stream: boolean;
  /** How a streamed answer is laid out (provider-call frames it). */
  framing: StreamFramingName;
  /** Absolute ms by which the whole request must be answered (or a stream be over). */
  deadline: number;
  /** The time limit the deadline was set from, for the error that names it. */
  timeLimitMs?: number;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  /** The client's allow-listed headers that change upstream behaviour (see @aigw/client-headers). */
  clientHeaders: ClientHeader[];
  /** A token count (Anthropic count_tokens, Gemini countTokens) instead of a chat call. */
  count?: boolean;
  /** The id the answer names itself by (OpenAI Responses), chosen here so the answer can be stored under it. */
  responseId?: string;
  /** The conversation's session-affinity key; computed on first use, as only routes with affinity on need it. */
  affinityKey?: () => string;
}

/** What happened on the way, for the request log (filled in as the loop goes). */
export interface RequestTrace {
  providerId: number;
  /** The name of the provider last tried ('' before one): the `provider` label of every metric. */
  providerName: string;
  upstreamModel: string;
  accountId: number;
  proxyId: number;
  /** Upstream calls made (each Invoke/InvokeStream, including a retry after a credential refresh). */
  attempts: number;
  upstreamLatencyMs: number;
  usage: Usage | undefined;
  droppedFields: string[];
  /** Set when something went wrong even though the client got an answer (e.g. a stream that broke). */
  errorClass: string;
  /** A token count that is a local estimate, not the provider's own count. */
  countEstimated: boolean;
  /** What session affinity did for the account last chosen. */
  affinity: AffinityOutcome;
  /** The adapter kind of the provider last tried ('' before one): how the price table names its models. */
  providerKind: string;
  /** The operator's price of the route last tried; null = the price table. */
  price: PriceOverride | null;
}

/** How the request ended, for the HTTP layer. */
export type ProxyOutcome =
  /** A complete answer, not yet sent: success body, or an upstream error already in the client's shape. */
  | { kind: 'response'; status: number; body: Buffer; retryAfterMs: number }
  /** Already written through the sink and ended. */
  | { kind: 'streamed'; status: number };

/** Creates an empty trace for a request. */
export function newTrace(): RequestTrace {
  return {
    providerId: 0,
    providerName: '',
    upstreamModel: '',
    accountId: 0,
    proxyId: 0,
    attempts: 0,
    upstreamLatencyMs: 0,
    usage: undefined,
    droppedFields: [],
    errorClass: '',
    countEstimated: false,
    affinity: AffinityOutcome.AFFINITY_OUTCOME_NONE,
    providerKind: '',
    price: null,
  };
}
