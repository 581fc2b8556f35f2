// The internal representation every wire format maps to and from. Client formats decode requests into
// it and encode responses and stream events out of it; provider adapters do the reverse. It is kept
// small on purpose: a field that only one format has stays in that format (and is reported as dropped
// when it must cross to another one).

export interface IrTextPart {
  type: 'text';
  text: string;
}

export type IrImageSource = { kind: 'base64'; mediaType: string; data: string } | { kind: 'url'; url: string };

export interface IrImagePart {
  type: 'image';
  source: IrImageSource;
}

export interface IrToolCallPart {
  type: 'tool_call';
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string;
}

export interface IrToolResultPart {
  type: 'tool_result';
  toolCallId: string;
  /** The called function's name, when the client format names it (Gemini pairs results by name). */
  name?: string;
  /** The result's text (its text blocks joined by "\n"). */
  content: string;
  /** Images the tool returned (a screenshot, a file read), after the text. */
  images?: IrImageSource[];
  isError: boolean;
}

/**
 * A block of model reasoning (Anthropic `thinking`, Gemini `thought` parts, OpenAI-compatible
 * `reasoning_content`). The signature is opaque and goes back only to the provider family that made
 * it. A reasoning part with empty text and a signature directly before another part is how a Gemini
 * `thoughtSignature` that sat on that part (a function call, a text) travels: encoders for Gemini put
 * it back on that part, and Anthropic clients see it as an empty signed thinking block.
 */
export interface IrReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
}

/** Anthropic `redacted_thinking`: encrypted reasoning only Anthropic can read. */
export interface IrRedactedReasoningPart {
  type: 'redacted_reasoning';
  data: string;
}

export type IrPart = IrTextPart | IrImagePart | IrToolCallPart | IrToolResultPart | IrReasoningPart | IrRedactedReasoningPart;

/**
 * Tool results travel in user turns (as Anthropic and Gemini do); OpenAI's `tool` role maps there.
 * A `system` message is an instruction given at that point of the conversation (Anthropic's and
 * OpenAI's system messages after the first turn); it holds text parts only. The system prompt that
 * leads the conversation is IrRequest.system, not a message.
 */
export interface IrMessage {
  role: 'user' | 'assistant' | 'system';
  parts: IrPart[];
}

/**
 * A system message's parts for a provider that only has user turns for it: the text kept in place (its order
 * carries meaning, and the upstream's cached prefix stays put), marked as a system instruction so the model
 * still reads it as one rather than as something the user said.
 */
export function systemPartsAsUserText(parts: readonly IrPart[]): IrPart[] {
  return parts.map((part) => (part.type === 'text' ? { ...part, text: systemTextAsUserText(part.text) } : part));
}

/** One system text as user text (see systemPartsAsUserText). */
export function systemTextAsUserText(text: string): string {
  return `<system>\n${text}\n</system>`;
}

export interface IrTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export type IrToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export type IrReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

/** What the client asked about reasoning: off, on with a token budget, or on at an effort level. */
export interface IrThinking {
  enabled: boolean;
  budgetTokens?: number;
  effort?: IrReasoningEffort;
}

/**
 * The shape the client wants the answer text in: any JSON object (OpenAI json_object, Gemini
 * application/json without a schema) or JSON valid against a JSON Schema (OpenAI json_schema,
 * Anthropic output_config.format / output_format, Gemini responseJsonSchema / responseSchema).
 * `name` and `description` label the schema (OpenAI's json_schema.name); `strict` is OpenAI's flag.
 */
export type IrResponseFormat =
  | { type: 'json_object' }
  | { type: 'json_schema'; schema: Record<string, unknown>; name?: string; description?: string; strict?: boolean };

export interface IrRequest {
  /** The system prompt that leads the conversation (later system messages are IrMessages). */
  system?: string;
  messages: IrMessage[];
  tools: IrTool[];
  toolChoice?: IrToolChoice;
  /** false when the client forbade parallel tool calls (OpenAI parallel_tool_calls, Anthropic disable_parallel_tool_use). */
  parallelToolCalls?: boolean;
  thinking?: IrThinking;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop: string[];
  stream: boolean;
  /** An opaque id of the end user, and the client field it came in (named when it cannot be carried). */
  user?: { id: string; field: 'metadata.user_id' | 'user' | 'safety_identifier' };
  responseFormat?: IrResponseFormat;
  /** Client fields that the IR cannot carry, named as the client named them. */
  dropped: string[];
}

export type IrStopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' | 'content_filter';

/**
 * cachedInputTokens is a part of inputTokens (the whole prompt), never added to it; reasoningTokens,
 * when the provider reports them, are a part of outputTokens.
 */
export interface IrUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Prompt tokens written to the provider's cache (Anthropic's cache_creation_input_tokens): a part of inputTokens. */
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

export type IrResponsePart = IrTextPart | IrToolCallPart | IrReasoningPart | IrRedactedReasoningPart;

export interface IrResponse {
  /** Model the upstream says answered. */
  model?: string;
  parts: IrResponsePart[];
  stopReason: IrStopReason;
  /** The stop sequence that ended the answer, when the provider says which. */
  stopSequence?: string;
  usage: IrUsage;
}

/**
 * One step of a streamed answer. A tool call starts with `tool_call_start` (id and name) and its
 * arguments arrive as `tool_call_delta` pieces; `index` tells parallel calls apart. Reasoning text
 * arrives as `reasoning` pieces of the open reasoning block; `reasoning_end` closes that block with
 * its signature, or, when no block is open and a signature is given, stands for an empty signed block
 * (see IrReasoningPart). Any other event closes an open reasoning block unsigned.
 */
export type IrStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'reasoning_end'; signature?: string }
  | { type: 'reasoning_redacted'; data: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'stop'; reason: IrStopReason; sequence?: string }
  | { type: 'usage'; usage: IrUsage }
  | { type: 'model'; model: string };

/** An upstream error, reduced to what every client format can express. */
export interface IrError {
  status: number;
  message: string;
}

export const ZERO_USAGE: Readonly<IrUsage> = Object.freeze({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 });
