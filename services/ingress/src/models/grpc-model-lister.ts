import { callUnary } from '@aigw/grpc';
import type { ListModelsRequest, ListModelsResponse, ProviderCallServiceClient } from '@aigw/proto';

/** ListModels over the unary gRPC client: rare and not on the request path, so it needs no multiplexing. */
export function grpcModelLister(providerCall: ProviderCallServiceClient): (request: ListModelsRequest, deadline: number) => Promise<ListModelsResponse> {
  return (request, deadline) => callUnary(providerCall.listModels, providerCall, request, deadline);
}
