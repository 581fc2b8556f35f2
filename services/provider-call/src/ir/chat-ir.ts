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
  content: string;
  isError: boolean;
}

export type IrPart = IrTextPart | IrImagePart | IrToolCallPart | IrToolResultPart;

/** Tool results travel in user turns (as Anthropic and Gemini do); OpenAI's `tool` role maps there. */
export interface IrMessage {
  role: 'user' | 'assistant';
  parts: IrPart[];
}

export interface IrTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export type IrToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export interface IrRequest {
  system?: string;
  messages: IrMessage[];
  tools: IrTool[];
  toolChoice?: IrToolChoice;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop: string[];
  stream: boolean;
  /** Client fields that the IR cannot carry, named as the client named them. */
  dropped: string[];
}

export type IrStopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' | 'content_filter';

/** cachedInputTokens is a part of inputTokens, never added to it. */
export interface IrUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

export interface IrResponse {
  /** Model the upstream says answered. */
  model?: string;
  parts: Array<IrTextPart | IrToolCallPart>;
  stopReason: IrStopReason;
  usage: IrUsage;
}

/**
 * One step of a streamed answer. A tool call starts with `tool_call_start` (id and name) and its
 * arguments arrive as `tool_call_delta` pieces; `index` tells parallel calls apart.
 */
export type IrStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'stop'; reason: IrStopReason }
  | { type: 'usage'; usage: IrUsage }
  | { type: 'model'; model: string };

/** An upstream error, reduced to what every client format can express. */
export interface IrError {
  status: number;
  message: string;
}

export const ZERO_USAGE: Readonly<IrUsage> = Object.freeze({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 });
