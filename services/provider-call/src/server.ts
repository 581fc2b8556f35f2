import { muxService, muxStream, serverStream, unary, type ServiceBinding } from '@aigw/grpc';
import {
  ProviderCallServiceService,
  type CountTokensRequest,
  type CountTokensResponse,
  type InvokeMuxRequest,
  type InvokeMuxResponse,
  type InvokeRequest,
  type InvokeResponse,
  type ListModelsRequest,
  type ListModelsResponse,
  type ProviderCallServiceServer,
  type StreamChunk,
} from '@aigw/proto';
import { countTokens } from './count/count-tokens.js';
import { invokeStream } from './invoke/invoke-stream.js';
import { invokeUnary, type InvokeDeps } from './invoke/invoke-unary.js';
import { listModels } from './invoke/list-models.js';

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
    listModels: unary<ListModelsRequest, ListModelsResponse>(deps.logger, 'ListModels', (request, ctx) => listModels(deps, request, ctx)),
  };
  return { name: 'aigw.providercall.v1.ProviderCallService', definition: ProviderCallServiceService, implementation, drain: mux.drain };
}
