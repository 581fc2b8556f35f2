export { callUnary, channelOptions, createClient, grpcTarget } from './client.js';
export { serverStream, unary, type CallContext } from './handlers.js';
export { isServing } from './health-check.js';
export { startGrpcServer, type GrpcServer, type ServiceBinding } from './server.js';
export { onShutdownSignal } from './signals.js';
export { fromServiceError, toServiceError } from './status-map.js';
export { runGrpcService, type GrpcServiceSettings, type StartedService } from './run-service.js';
