import { AppError } from '@aigw/errors';
import { callUnary, clientSpan, fromServiceError, tracedMetadata, type MuxClient } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import type {
  AuthServiceClient,
  CountTokensRequest,
  CountTokensResponse,
  InvokeMuxRequest,
  InvokeMuxResponse,
  InvokeRequest,
  InvokeResponse,
  ProviderCallServiceClient,
  SelectorMuxRequest,
  SelectorMuxResponse,
  SelectorServiceClient,
  StreamChunk,
} from '@aigw/proto';
import { ReportOutcomeRequest } from '@aigw/proto';
import type { Backends, StreamCall } from './backends.js';

export interface BackendClients {
  selector: SelectorServiceClient;
  auth: AuthServiceClient;
  providerCall: ProviderCallServiceClient;
  /** SelectAccount and ReportOutcome, multiplexed over long-lived streams. */
  selectorMux: MuxClient<SelectorMuxRequest, SelectorMuxResponse>;
  /** Invoke and InvokeStream, multiplexed over long-lived streams. */
  invokeMux: MuxClient<InvokeMuxRequest, InvokeMuxResponse>;
}

const REPORT_TIMEOUT_MS = 2_000;

/**
 * Bodies above this size take an Invoke or InvokeStream call of their own: on a shared stream a large message
 * would hold up every small call queued behind it (one stream, one flow-control window). Agents send 50–200 KB
 * on every turn, so those stay on the shared streams: a call of its own cost a 100 KB turn 1.1 ms from ingress
 * to provider-call at one connection, the shared stream 0.7 ms (bench S7); 512 KB crosses loopback in well
 * under a millisecond, which is what a small call may wait behind it.
 */
export const MUX_MAX_BODY_BYTES = 512 * 1024;

/**
 * grpc-js accepts (request, options, callback) for unary calls; ts-proto only types the Metadata form, and
 * ingress does not depend on grpc-js directly to build one.
 */
type UnaryWithOptions<Req, Res> = (
  request: Req,
  metadata: ReturnType<typeof tracedMetadata>,
  options: { deadline: Date },
  callback: (error: Error | null, response: Res) => void,
) => { cancel(): void };

/** A unary call of provider-call that a client going away cancels (and so aborts upstream). */
function cancellableUnary<Req, Res>(
  providerCall: ProviderCallServiceClient,
  method: unknown,
  name: string,
  request: Req,
  deadline: number,
  signal: AbortSignal,
): Promise<Res> {
  const span = clientSpan('provider-call', name);
  return new Promise<Res>((resolve, reject) => {
    // callUnary cannot be cancelled; a client that goes away must abort the upstream call too.
    const cancel = () => call.cancel();
    const invoke = method as UnaryWithOptions<Req, Res>;
    const call = invoke.call(providerCall, request, tracedMetadata(span.traceparent), { deadline: new Date(deadline) }, (error, response) => {
      signal.removeEventListener('abort', cancel);
      span.end(error ? fromServiceError(error) : undefined);
      if (error) reject(fromServiceError(error));
      else resolve(response);
    });
    if (signal.aborted) call.cancel();
    else signal.addEventListener('abort', cancel, { once: true });
  });
}

/** The Backends the attempt loop uses, over the real gRPC clients. */
export function grpcBackends({ auth, providerCall, selectorMux, invokeMux }: BackendClients, logger: Logger): Backends {
  return {
    async selectAccount(providerId, model, exclude, affinityKey, deadline) {
      // Selecting twice only advances the round robin once more (or binds the key to the second pick), so a call
      // lost with its stream is sent again.
      const { select } = await selectorMux.call({ select: { providerId, model, excludeAccountIds: [...exclude], affinityKey } }, deadline, { idempotent: true });
      if (!select?.account) throw new AppError('INTERNAL', 'selector answered without an account');
      return { account: select.account, affinity: select.affinity };
    },

    reportOutcome(accountId, model, statusCode, retryAfterMs, hint) {
      const report = ReportOutcomeRequest.fromPartial({
        accountId,
        model,
        statusCode,
        retryAfterMs: Math.max(0, Math.round(retryAfterMs)),
        retryAfterSource: hint?.retryAfterSource ?? '',
        resetAtS: hint?.resetAtS ?? 0,
        message: hint?.message ?? '',
      });
      selectorMux.call({ report }, Date.now() + REPORT_TIMEOUT_MS).catch((error: unknown) =>
        logger.debug({ accountId, err: error }, 'report outcome failed'),
      );
    },

    async getCredential(accountId, deadline) {
      const { credential } = await callUnary(auth.getCredential, auth, { accountId }, deadline, ['auth', 'getCredential']);
      if (!credential) throw new AppError('INTERNAL', 'auth answered without a credential');
      return credential;
    },

    async invalidateCredential(accountId, deadline) {
      await callUnary(auth.invalidateCredential, auth, { accountId }, deadline, ['auth', 'invalidateCredential']);
    },

    async invoke(request, deadline, signal) {
      if (request.body.length > MUX_MAX_BODY_BYTES) return cancellableUnary(providerCall, providerCall.invoke, 'invoke', request, deadline, signal);
      const { invoke } = await invokeMux.call({ invoke: request }, deadline, { signal });
      if (!invoke) throw new AppError('INTERNAL', 'provider-call answered without a response');
      return invoke;
    },

    // Counts are rare next to chat calls: a unary call of their own, not a place on the shared streams.
    countTokens(request, deadline, signal) {
      return cancellableUnary<CountTokensRequest, CountTokensResponse>(providerCall, providerCall.countTokens, 'countTokens', request, deadline, signal);
    },

    invokeStream(request, deadline): StreamCall {
      if (request.body.length <= MUX_MAX_BODY_BYTES) return muxedStream(invokeMux, request, deadline);
      const span = clientSpan('provider-call', 'invokeStream');
      const call = providerCall.invokeStream(request, tracedMetadata(span.traceparent), { deadline: new Date(deadline) });
      // The final status may arrive after the reader stopped listening; an unheard 'error' would crash the process.
      call.on('error', () => undefined);
      return {
        cancel: () => {
          call.cancel();
          span.end({ code: 'CANCELLED' });
        },
        async *[Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
          try {
            for await (const chunk of call) yield chunk as StreamChunk;
            span.end();
          } catch (error) {
            const appError = fromServiceError(error);
            span.end(appError);
            throw appError;
          } finally {
            span.end();
          }
        },
      };
    },
  };
}

/** InvokeStream as a streamed call on the shared streams: its chunks, until the end. */
function muxedStream(invokeMux: MuxClient<InvokeMuxRequest, InvokeMuxResponse>, request: InvokeRequest, deadline: number): StreamCall {
  const messages = invokeMux.stream({ invokeStream: request }, deadline);
  return {
    cancel: () => messages.cancel(),
    async *[Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
      for await (const message of messages) {
        if (!message.invokeStream) throw new AppError('INTERNAL', 'provider-call answered a stream without a chunk');
        yield message.invokeStream;
      }
    },
  };
}
