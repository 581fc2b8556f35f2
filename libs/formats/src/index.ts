// One module per client wire format, a folder each (openai/, anthropic/, gemini/, responses/, embeddings/): <format>-schema.ts
// holds the request schema and the envelope rules every request must meet; <format>-format.ts the error
// names and shape and the module both services use (CLIENT_FORMATS). Shared: validation with field paths,
// the error code of an HTTP status, the SSE parser and the stream framings.

import { anthropicFormat } from './anthropic/anthropic-format.js';
import type { ClientFormatModule, ClientFormatName } from './client-format.js';
import { embeddingsFormat } from './embeddings/embeddings-format.js';
import { geminiFormat } from './gemini/gemini-format.js';
import { openAiFormat } from './openai/openai-format.js';
import { responsesFormat } from './responses/responses-format.js';

export type { ClientFormatModule, ClientFormatName, RequestEnvelope } from './client-format.js';
export { jsonText, parseJsonBytes } from './json-bytes.js';
export { clientErrorCode, errorCodeOfStatus, type ClientError } from './client-error.js';

export { openAiErrorBody, openAiErrorNames, openAiFormat, OPENAI_DONE_EVENT } from './openai/openai-format.js';
export { openAiResponseFormatSchema, type OpenAiResponseFormat } from './openai/openai-response-format-schema.js';
export { openAiEnvelopeSchema, openAiRequestSchema, type OpenAiMessage, type OpenAiRequest } from './openai/openai-schema.js';

export { anthropicErrorBody, anthropicErrorType, anthropicFormat, checkAnthropicCountTokens } from './anthropic/anthropic-format.js';
export { anthropicOutputConfigSchema, anthropicOutputFormatSchema, type AnthropicOutputConfig, type AnthropicOutputFormat } from './anthropic/anthropic-output-format-schema.js';
export {
  BLOCK_FIELDS as ANTHROPIC_BLOCK_FIELDS,
  anthropicCountTokensEnvelopeSchema,
  anthropicEnvelopeSchema,
  anthropicRequestSchema,
  type AnthropicBlock,
  type AnthropicMessage,
  type AnthropicRequest,
} from './anthropic/anthropic-schema.js';

export { geminiErrorBody, geminiFormat, geminiStatusName } from './gemini/gemini-format.js';
export {
  generationConfigSchema as geminiGenerationConfigSchema,
  geminiEnvelopeSchema,
  geminiRequestSchema,
  type GeminiClientContent,
  type GeminiClientRequest,
} from './gemini/gemini-schema.js';
export { geminiModelName, geminiStreamFraming, parseGeminiTarget, type GeminiTarget } from './gemini/gemini-target.js';

export { responsesErrorEvent, responsesFormat } from './responses/responses-format.js';
export { isResponseId, newResponsesId, type ResponsesIdPrefix } from './responses/responses-ids.js';
export {
  responsesEnvelopeSchema,
  responsesInputItemSchema,
  responsesRequestSchema,
  responsesTextFormatSchema,
  responsesToolChoiceSchema,
  responsesToolSchema,
  type ResponsesContentPart,
  type ResponsesInputItem,
  type ResponsesOutputPart,
  type ResponsesRequest,
  type ResponsesTool,
} from './responses/responses-schema.js';
export {
  conversationOpening,
  continuedBody,
  continuedInput,
  inputItems,
  isItemReference,
  itemIdOf,
  itemsById,
  outputItemsOf,
  referencedItemIds,
  resolveItemReferences,
  type ResponsesItem,
  type StoredTurn,
} from './responses/responses-continuation.js';
export { finalResponseOfEvent, responseObjectOf } from './responses/responses-final-response.js';
export { checkInputItemsQuery, inputItemsPage, type InputItemsQuery } from './responses/responses-input-items.js';
export { itemNotFound, previousResponseNotFound, responseNotFound, type ResponsesErrorAnswer } from './responses/responses-store-errors.js';
export { embeddingsFormat } from './embeddings/embeddings-format.js';
export {
  embeddingInputs,
  embeddingsInputSchema,
  embeddingsRequestSchema,
  MAX_EMBEDDING_INPUTS,
  type EmbeddingsInput,
  type EmbeddingsRequest,
} from './embeddings/embeddings-schema.js';

export { SseParser, type SseEvent } from './sse/sse-parser.js';
export {
  EventFramer,
  formatSseEvent,
  JSON_ARRAY_FRAMING,
  SSE_FRAMING,
  streamFraming,
  type StreamEvent,
  type StreamFraming,
  type StreamFramingName,
} from './sse/stream-framing.js';

export { assertJsonDepth, jsonDepthWithin, MAX_JSON_DEPTH } from './validation/json-limits.js';
export { checkModelName, MAX_MODEL_LENGTH, modelNameSchema } from './validation/model-name.js';
export { explainIssue, formatPath, markUnsupported, objectBody, uncarriedFields, validateBody } from './validation/validate-body.js';

/** Every client format by name: the one registry both services read. */
export const CLIENT_FORMATS: Readonly<Record<ClientFormatName, ClientFormatModule>> = {
  openai: openAiFormat,
  anthropic: anthropicFormat,
  gemini: geminiFormat,
  responses: responsesFormat,
  embeddings: embeddingsFormat,
};
