import { buildReply, countWords, type Reply, type ResponseFormat, type ToolDeclaration, type ToolResult } from '@aigw/emulators';
import { z } from 'zod';

// The conversations every client SDK sends to every provider, in neutral terms (each SDK's driver writes
// them its own way), and what the upstream emulator answers to them, derived with its exported helpers.

export type Mode = 'json' | 'stream';

/** An answer as one SDK parsed it, reduced to what the emulator decides. */
export interface Observed {
  text: string;
  /** Reasoning text (OpenAI-compatible `reasoning_content`, Anthropic `thinking`, Gemini thought parts). */
  reasoning: string;
  /** Reasoning signatures a client would hand back (Anthropic `signature`, Gemini `thoughtSignature`). */
  signatures: string[];
  toolCalls: Array<{ id: string | undefined; name: string; args: unknown }>;
  /** Stop reason in the client protocol's own words (finish_reason, stop_reason, finishReason). */
  stop: string | null | undefined;
  /** Usage object as the SDK gave it. */
  usage: Record<string, unknown> | undefined;
  /** The `model` the response names (undefined when the protocol has no such field). */
  model: string | undefined;
  /** Decoded entries of the `x-aigw-dropped` response header. */
  dropped: string[];
  /** The assistant turn as the SDK returned it, to hand back in the next request as a user would. */
  native: unknown;
  /** Structured output as the SDK parsed it (its own parser where it has one, else JSON.parse of the text). */
  parsed?: unknown;
  /** The id the answer names itself by, where the protocol has one to continue from (Responses `resp_…`). */
  responseId?: string;
}

export type Image = { base64: string; mimeType: string } | { url: string };

export type Turn =
  | { role: 'user'; text: string; image?: Image }
  | { role: 'assistant'; text: string }
  /** The assistant's previous answer, handed back as the SDK returned it. */
  | { role: 'assistant-reply'; reply: Observed }
  | { role: 'tool'; callId: string | undefined; name: string; result: string }
  /** A system message later in the conversation (Anthropic and OpenAI take them; Gemini has none). */
  | { role: 'system'; text: string };

export interface Conversation {
  system?: string;
  turns: Turn[];
  tools?: ToolSpec[];
  /** Output limit (max_completion_tokens, max_tokens, maxOutputTokens). */
  maxTokens?: number;
  /** Ask for reasoning the protocol's own way (reasoning_effort, thinking, thinkingConfig). */
  reasoning?: boolean;
  /** Ask for structured output the SDK's own way (response_format, output_config / output_format, responseJsonSchema). */
  output?: StructuredOutput;
  /** Continue a stored answer (Responses `previous_response_id`): `turns` are then only the new input. */
  previousResponseId?: string;
}

/** A zod schema, as users of every SDK write one, and the name OpenAI wants for it. */
export interface StructuredOutput {
  name: string;
  schema: z.ZodType;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export const SYSTEM = 'You are a terse assistant for a gateway test.';
export const PROMPT = 'Say hello to the gateway';
export const HISTORY = ['Name a fjord in Norway.', 'Geirangerfjord is a famous one.', 'And a glacier?'] as const;
/** An instruction given in the middle of the conversation, as Claude Code sends its agent list. */
export const MID_SYSTEM = 'From now on, name places in Norwegian.';
export const IMAGE_PROMPT = 'What is in this picture?';
/** A 1×1 PNG. */
export const PNG = { base64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', mimeType: 'image/png' };
export const IMAGE_URL = 'https://example.com/cat.png';
export const WEATHER_TOOL: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string', description: 'City name' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer', description: 'Days of forecast' },
    },
    required: ['city', 'unit', 'days'],
  },
};
export const TOOL_PROMPT = 'What is the weather in Oslo?';
export const TOOL_RESULT = 'sunny, 21 C';
export const LIMIT_PROMPT = 'Tell me about the northern lights over Tromso';
export const OUTPUT_LIMIT = 3;
export const REASONING_PROMPT = 'Why is the sky blue?';
/** The emulator's directive for a cached prompt prefix of 40 tokens (there is no client-side way to cause one). */
export const CACHED_PROMPT = 'Summarise the long document [emu cached=40]';
export const STRUCTURED_PROMPT = 'Extract the forecast: Oslo, three days, in celsius, hourly sky';
/** What zod users write: an integer (with zod's safe-integer bounds), an enum, a nullable, a nested array of objects. */
export const FORECAST: StructuredOutput = {
  name: 'forecast',
  schema: z.object({
    city: z.string().describe('City name'),
    days: z.number().int(),
    unit: z.enum(['celsius', 'fahrenheit']),
    summary: z.string().nullable(),
    hours: z.array(z.object({ hour: z.number().int(), sky: z.string() })),
  }),
};

/** What the emulator is asked, from the client's side: the input texts and what the answer depends on. */
export interface Asked {
  /** Every input text: system prompt, messages, tool results (images and tool calls count 0). */
  texts: string[];
  lastUserText: string;
  images?: number;
  tools?: ToolSpec[];
  toolResults?: ToolResult[];
  maxOutputTokens?: number;
  thinking?: boolean;
  /** Structured output as the upstream received it. */
  responseFormat?: ResponseFormat;
}

/** The emulator's answer to `asked` for `model`: text or tool call, stop reason, token counts. */
export function emulatorReply(model: string, asked: Asked): Reply {
  const tools: ToolDeclaration[] | undefined = asked.tools?.map((t) => ({ name: t.name, parameters: t.parameters }));
  return buildReply({
    model,
    stream: false,
    lastUserText: asked.lastUserText,
    inputTokens: asked.texts.reduce((sum, text) => sum + countWords(text), 0),
    streamUsage: true,
    ...(tools === undefined ? {} : { tools }),
    ...(asked.toolResults === undefined ? {} : { toolResults: asked.toolResults }),
    ...(asked.images === undefined ? {} : { images: asked.images }),
    ...(asked.maxOutputTokens === undefined ? {} : { maxOutputTokens: asked.maxOutputTokens }),
    ...(asked.thinking === undefined ? {} : { thinking: asked.thinking }),
    ...(asked.responseFormat === undefined ? {} : { responseFormat: asked.responseFormat }),
  });
}
