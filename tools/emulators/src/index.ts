export {
  startUpstreamEmulator,
  type UpstreamEmulator,
  type UpstreamEmulatorOptions,
} from './upstream/upstream-emulator.js';
export type { RecordedRequest, WireFormatName } from './upstream/request-log.js';
export type { ScriptRule, ScriptMatch } from './upstream/script-rules.js';
export { parseDirective, type Steering } from './upstream/steering.js';
export { buildReply, composeReplyText, countWords, ECHO_LIMIT, type ChatRequest, type Reply } from './upstream/reply.js';
export { startOAuthEmulator, type OAuthEmulator, type OAuthEmulatorOptions } from './oauth/oauth-emulator.js';
export {
  startForwardProxy,
  type ForwardProxy,
  type ForwardProxyOptions,
  type ForwardProxyStats,
} from './proxy/forward-proxy.js';
