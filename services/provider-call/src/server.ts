import { serverStream, unary, type ServiceBinding } from '@aigw/grpc';
import { ProviderCallServiceService, type InvokeRequest, type InvokeResponse, type ProviderCallServiceServer, type StreamChunk } from '@aigw/proto';
import { invokeStream } from './invoke/invoke-stream.js';
import { invokeUnary, type InvokeDeps } from './invoke/invoke-unary.js';

export type ServerDeps = InvokeDeps;

/** Builds the ProviderCallService binding (startGrpcServer listens). */
export function createServer(deps: ServerDeps): ServiceBinding {
  const implementation: ProviderCallServiceServer = {
    invoke: unary<InvokeRequest, InvokeResponse>(deps.logger, 'Invoke', (request, ctx) => invokeUnary(deps, request, ctx)),
    invokeStream: serverStream<InvokeRequest, StreamChunk>(deps.logger, 'InvokeStream', (request, ctx, write) =>
      invokeStream(deps, request, ctx, write),
    ),
  };
  return { name: 'aigw.providercall.v1.ProviderCallService', definition: ProviderCallServiceService, implementation };
}
