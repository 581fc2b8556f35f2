import { AppError } from '@aigw/errors';
import { EventFramer, JSON_ARRAY_FRAMING, SSE_FRAMING } from '@aigw/formats';
import { AffinityOutcome, StreamFraming, type Account, type CountTokensRequest, type CountTokensResponse, type InvokeRequest, type InvokeResponse, type StreamChunk } from '@aigw/proto';
import type { Backends, StreamCall } from '../../src/proxying/backends.js';

/** An account as selector would hand it out. */
export function account(id: number, providerId = 1): Account {
  return {
    id,
    providerId,
    providerName: `provider-${providerId}`,
    providerKind: 'openai',
    label: `acct-${id}`,
    baseUrl: 'http://upstream.invalid',
    proxyId: 0,
    authType: 'api_key',
    settingsJson: '',
    providerWire: '',
    poolEgress: false,
  };
}

/** A successful InvokeResponse with a JSON body. */
export function okResponse(body: unknown = { ok: true }, extra: Partial<InvokeResponse> = {}): InvokeResponse {
  return {
    status: 200,
    body: Buffer.from(JSON.stringify(body)),
    usage: { inputTokens: 3, outputTokens: 5, cachedInputTokens: 0 },
    upstreamLatencyMs: 7,
    proxyId: 0,
    retryAfterMs: 0,
    droppedFields: [],
    retryAfterSource: '',
    resetAtS: 0,
    upstreamMessage: '',
    ...extra,
  };
}

/** An upstream error answer, body in the client's shape. */
export function errorResponse(status: number, retryAfterMs = 0): InvokeResponse {
  return okResponse({ error: { message: `upstream ${status}`, type: 'upstream', code: String(status) } }, { status, retryAfterMs, usage: undefined });
}

/** A stream step: a chunk to yield, or an error to throw (as the gRPC stream would). */
export type StreamStep = StreamChunk | { throw: AppError } | { waitForCancel: true } | { sleepMs: number };

export interface FakeBackendOptions {
  /** Accounts per provider id. */
  accounts?: Record<number, Account[]>;
  /** What selector says when no account is left (default NO_ACCOUNT). */
  exhaustedError?: () => AppError;
  /** An error selector fails the n-th selection with (a stall, an outage), or undefined to answer. */
  selectError?: (call: number) => AppError | undefined;
  invoke?: (request: InvokeRequest, call: number) => InvokeResponse | Promise<InvokeResponse>;
  stream?: (request: InvokeRequest, call: number) => StreamStep[];
  credential?: (accountId: number, call: number) => { headerName: string; headerValue: string; expiresAtMs: number };
  countTokens?: (request: CountTokensRequest, call: number) => CountTokensResponse | Promise<CountTokensResponse>;
}

/** A CountTokensResponse as provider-call answers a count. */
export function countResponse(body: unknown, extra: Partial<CountTokensResponse> = {}): CountTokensResponse {
  return { status: 200, body: Buffer.from(JSON.stringify(body)), inputTokens: 0, estimated: false, retryAfterMs: 0, droppedFields: [], retryAfterSource: '', resetAtS: 0, upstreamMessage: '', ...extra };
}

/** In-memory Backends recording every call, for the HTTP layer and the attempt loop only. */
export function fakeBackends(options: FakeBackendOptions = {}) {
  const calls = {
    select: [] as { providerId: number; model: string; exclude: number[]; affinityKey: string }[],
    outcomes: [] as { accountId: number; model: string; status: number; retryAfterMs: number }[],
    credentials: [] as number[],
    invalidated: [] as number[],
    invokes: [] as InvokeRequest[],
    counts: [] as CountTokensRequest[],
    cancelled: 0,
  };
  const accounts = options.accounts ?? { 1: [account(11), account(12), account(13)] };
  const backends: Backends = {
    async selectAccount(providerId, model, exclude, affinityKey) {
      calls.select.push({ providerId, model, exclude: [...exclude], affinityKey });
      const failure = options.selectError?.(calls.select.length);
      if (failure) throw failure;
      const next = (accounts[providerId] ?? []).find((a) => !exclude.includes(a.id));
      if (!next) throw options.exhaustedError?.() ?? new AppError('NO_ACCOUNT', 'no active account for provider');
      // Like selector: a key is bound on its first selection and rebound when the request fails over.
      const affinity =
        affinityKey === ''
          ? AffinityOutcome.AFFINITY_OUTCOME_NONE
          : exclude.length === 0
            ? AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING
            : AffinityOutcome.AFFINITY_OUTCOME_REBOUND;
      return { account: next, affinity };
    },
    reportOutcome(accountId, model, status, retryAfterMs) {
      calls.outcomes.push({ accountId, model, status, retryAfterMs });
    },
    async getCredential(accountId) {
      calls.credentials.push(accountId);
      const make = options.credential ?? ((id, n) => ({ headerName: 'authorization', headerValue: `Bearer k-${id}-${n}`, expiresAtMs: 0 }));
      return make(accountId, calls.credentials.length);
    },
    async invalidateCredential(accountId) {
      calls.invalidated.push(accountId);
    },
    async invoke(request) {
      calls.invokes.push(request);
      return (options.invoke ?? (() => okResponse()))(request, calls.invokes.length);
    },
    async countTokens(request) {
      calls.counts.push(request);
      return (options.countTokens ?? (() => countResponse({ input_tokens: 7 }, { inputTokens: 7 })))(request, calls.counts.length);
    },
    invokeStream(request): StreamCall {
      calls.invokes.push(request);
      const steps = (options.stream ?? defaultStream)(request, calls.invokes.length);
      let cancel: () => void = () => undefined;
      const cancelled = new Promise<void>((resolve) => {
        cancel = resolve;
      });
      return {
        cancel: () => {
          calls.cancelled += 1;
          cancel();
        },
        async *[Symbol.asyncIterator]() {
          for (const step of steps) {
            if ('throw' in step) throw step.throw;
            if ('sleepMs' in step) {
              await new Promise((resolve) => setTimeout(resolve, step.sleepMs));
              continue;
            }
            if ('waitForCancel' in step) {
              await cancelled;
              throw new AppError('CANCELLED', 'cancelled');
            }
            yield step;
          }
        },
      };
    },
  };
  return { backends, calls };
}

/** A framer for the events of a fake stream, in the framing the request asked for (as provider-call frames them). */
export function framerFor(request?: InvokeRequest): EventFramer {
  return new EventFramer(request?.streamFraming === StreamFraming.STREAM_FRAMING_JSON_ARRAY ? JSON_ARRAY_FRAMING : SSE_FRAMING);
}

/** start(200) → two data events (the second closing the stream) → usage. */
export function defaultStream(request?: InvokeRequest): StreamStep[] {
  const framer = framerFor(request);
  return [
    { start: { status: 200, proxyId: 0, upstreamLatencyMs: 4, droppedFields: [] } },
    { data: Buffer.from(framer.event('{"n":1}')) },
    { data: Buffer.from(framer.event('{"n":2}') + framer.close()) },
    { usage: { inputTokens: 2, outputTokens: 9, cachedInputTokens: 0 } },
  ];
}
