import { muxService, muxStream, serverStream, unary, type ServiceBinding } from '@aigw/grpc';
import {
  ProviderCallServiceService,
  type InvokeMuxRequest,
  type InvokeMuxResponse,
  type InvokeRequest,
  type InvokeResponse,
  type ProviderCallServiceServer,
  type StreamChunk,
} from '@aigw/proto';
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
  };
  return { name: 'aigw.providercall.v1.ProviderCallService', definition: ProviderCallServiceService, implementation, drain: mux.drain };
}
