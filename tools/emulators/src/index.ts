export {
  startUpstreamEmulator,
  type UpstreamEmulator,
  type UpstreamEmulatorOptions,
} from './upstream/upstream-emulator.js';
export type { RecordedRequest, WireFormatName } from './upstream/request-log.js';
export { embeddingVector, float32Base64, tokenIdsText } from './upstream/embedding-vectors.js';
export type { ScriptRule, ScriptMatch } from './upstream/script-rules.js';
export { parseDirective, type Steering } from './upstream/steering.js';
export {
  buildReply,
  composeAnswerText,
  composeReplyText,
  countWords,
  ECHO_LIMIT,
  imageSuffix,
  type ChatRequest,
  type FinishReason,
  type Reply,
} from './upstream/reply.js';
export { parseAnswerDirectives, type AnswerDirectives } from './upstream/answer-directives.js';
export { argumentsFromSchema } from './upstream/tool-arguments.js';
export {
  InvalidSchemaError,
  schemaInstance,
  structuredAnswerText,
  type ResponseFormat,
} from './upstream/structured-answer.js';
export {
  composeToolResultText,
  toolResultText,
  TOOL_RESULT_LIMIT,
  type ToolCall,
  type ToolChoice,
  type ToolDeclaration,
  type ToolResult,
} from './upstream/tool-answer.js';
export { composeThinking, thinkingSignature, type Thinking, type ThinkingPlan } from './upstream/thinking.js';
export { encryptedReasoning } from './upstream/openai-responses-reasoning.js';
export { startOAuthEmulator, type OAuthEmulator, type OAuthEmulatorOptions, type TokenFailureMode } from './oauth/oauth-emulator.js';
export {
  startForwardProxy,
  type ForwardProxy,
  type ForwardProxyOptions,
  type ForwardProxyStats,
} from './proxy/forward-proxy.js';
export {
  ANTHROPIC_MODELS,
  CLOUD_CODE_MODELS,
  GEMINI_MODELS,
  GLM_MODELS,
  OPENAI_MODELS,
  type CatalogModel,
} from './upstream/model-catalog.js';
