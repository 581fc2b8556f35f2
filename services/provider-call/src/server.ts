import { AppError } from '@aigw/errors';
import { muxService, muxStream, serverStream, unary, type ServiceBinding } from '@aigw/grpc';
import {
  ProviderCallServiceService,
  type CountTokensRequest,
  type CountTokensResponse,
  type InvokeMuxRequest,
  type InvokeMuxResponse,
  type InvokeRequest,
  type InvokeResponse,
  type ProviderCallServiceServer,
  type StreamChunk,
} from '@aigw/proto';
import { countTokens } from './count/count-tokens.js';
import { invokeStream } from './invoke/invoke-stream.js';
import { invokeUnary, type InvokeDeps } from './invoke/invoke-unary.js';

export type ServerDeps = InvokeDeps;

/** Builds the ProviderCallService binding (startGrpcServer listens). */
export function createServer(deps: ServerDeps): ServiceBinding {
  const mux = muxService<InvokeMuxRequest, InvokeMuxResponse>(deps.logger, 'InvokeMux', {
    invoke: (request, ctx) => invokeUnary(deps, request, ctx),
    invokeStream: muxStream((request, ctx, write) => invokeStream(deps, request, ctx, write)),
  });
  const implementation: ProviderCallServiceServer = {
    invoke: unary<InvokeRequest, InvokeResponse>(deps.logger, 'Invoke', (request, ctx) => invokeUnary(deps, request, ctx)),
    invokeStream: serverStream<InvokeRequest, StreamChunk>(deps.logger, 'InvokeStream', (request, ctx, write) =>
      invokeStream(deps, request, ctx, write),
    ),
    invokeMux: mux.handler,
    countTokens: unary<CountTokensRequest, CountTokensResponse>(deps.logger, 'CountTokens', (request, ctx) => countTokens(deps, request, ctx)),
    // Filled in by the model-discovery work (issue 12, item 6).
    listModels: unary(deps.logger, 'ListModels', () => Promise.reject(new AppError('INVALID_REQUEST', 'model discovery is not available yet'))),
  };
  return { name: 'aigw.providercall.v1.ProviderCallService', definition: ProviderCallServiceService, implementation, drain: mux.drain };
}
