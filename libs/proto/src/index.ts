/** Generated gRPC contracts and the NATS event codec (ts-proto, see buf.gen.yaml). */
export { Account, AffinityOutcome, ClientFormat, Header, MuxCancel, MuxCredit, MuxEnd, MuxError, Usage, clientFormatFromJSON, clientFormatToJSON } from './gen/aigw/common/v1/common.js';
export {
  ReportOutcomeRequest,
  ReportOutcomeResponse,
  SelectAccountRequest,
  SelectAccountResponse,
  SelectorMuxRequest,
  SelectorMuxResponse,
  SelectorServiceClient,
  SelectorServiceService,
  type SelectorServiceServer,
} from './gen/aigw/selector/v1/selector.js';
export {
  AuthServiceClient,
  AuthServiceService,
  Credential,
  GetCredentialRequest,
  GetCredentialResponse,
  InvalidateCredentialRequest,
  InvalidateCredentialResponse,
  type AuthServiceServer,
} from './gen/aigw/auth/v1/auth.js';
export {
  CountTokensRequest,
  CountTokensResponse,
  InvokeMuxRequest,
  InvokeMuxResponse,
  InvokeRequest,
  InvokeResponse,
  StreamFraming,
  ListModelsRequest,
  ListModelsResponse,
  ProviderCallServiceClient,
  ProviderCallServiceService,
  StreamChunk,
  StreamError,
  StreamStart,
  UpstreamModel,
  type ProviderCallServiceServer,
} from './gen/aigw/providercall/v1/provider_call.js';
export { RequestLogBatch, RequestLogEvent } from './gen/aigw/logs/v1/logs.js';
