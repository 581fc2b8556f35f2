import { AppError } from '@aigw/errors';
import { callUnary, fromServiceError } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import type {
  AuthServiceClient,
  InvokeRequest,
  InvokeResponse,
  ProviderCallServiceClient,
  SelectorServiceClient,
  StreamChunk,
} from '@aigw/proto';
import type { Backends, StreamCall } from './backends.js';

export interface BackendClients {
  selector: SelectorServiceClient;
  auth: AuthServiceClient;
  providerCall: ProviderCallServiceClient;
}

const REPORT_TIMEOUT_MS = 2_000;

/**
 * grpc-js accepts (request, options, callback) for unary calls; ts-proto only types the Metadata form, and
 * ingress does not depend on grpc-js directly to build one.
 */
type InvokeWithOptions = (
  request: InvokeRequest,
  options: { deadline: Date },
  callback: (error: Error | null, response: InvokeResponse) => void,
) => { cancel(): void };

/** The Backends the attempt loop uses, over the real gRPC clients. */
export function grpcBackends({ selector, auth, providerCall }: BackendClients, logger: Logger): Backends {
  return {
    async selectAccount(providerId, model, exclude, deadline) {
      const request = { providerId, model, excludeAccountIds: [...exclude] };
      const { account } = await callUnary(selector.selectAccount, selector, request, deadline);
      if (!account) throw new AppError('INTERNAL', 'selector answered without an account');
      return account;
    },

    reportOutcome(accountId, model, statusCode, retryAfterMs) {
      const request = { accountId, model, statusCode, retryAfterMs: Math.max(0, Math.round(retryAfterMs)) };
      callUnary(selector.reportOutcome, selector, request, Date.now() + REPORT_TIMEOUT_MS).catch((error: unknown) =>
        logger.debug({ accountId, err: error }, 'report outcome failed'),
      );
    },

    async getCredential(accountId, deadline) {
      const { credential } = await callUnary(auth.getCredential, auth, { accountId }, deadline);
      if (!credential) throw new AppError('INTERNAL', 'auth answered without a credential');
      return credential;
    },

    async invalidateCredential(accountId, deadline) {
      await callUnary(auth.invalidateCredential, auth, { accountId }, deadline);
    },

    invoke(request, deadline, signal) {
      return new Promise<InvokeResponse>((resolve, reject) => {
        // callUnary cannot be cancelled; a client that goes away must abort the upstream call too.
        const cancel = () => call.cancel();
        const invoke = providerCall.invoke as unknown as InvokeWithOptions;
        const call = invoke.call(providerCall, request, { deadline: new Date(deadline) }, (error, response) => {
          signal.removeEventListener('abort', cancel);
          if (error) reject(fromServiceError(error));
          else resolve(response);
        });
        if (signal.aborted) call.cancel();
        else signal.addEventListener('abort', cancel, { once: true });
      });
    },

    invokeStream(request, deadline): StreamCall {
      const call = providerCall.invokeStream(request, { deadline: new Date(deadline) });
      // The final status may arrive after the reader stopped listening; an unheard 'error' would crash the process.
      call.on('error', () => undefined);
      return {
        cancel: () => call.cancel(),
        async *[Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
          try {
            for await (const chunk of call) yield chunk as StreamChunk;
          } catch (error) {
            throw fromServiceError(error);
          }
        },
      };
    },
  };
}
