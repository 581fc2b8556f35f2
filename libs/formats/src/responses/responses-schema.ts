import { z } from 'zod';
import { modelNameSchema } from '../validation/model-name.js';
import { markUnsupported } from '../validation/validate-body.js';

// The Responses API request (POST /v1/responses) as clients send it: the openai SDK, Codex CLI, the Agents
// SDK, the AI SDK. Objects are loose: a field we do not model is kept, and the translation reports it rather
// than refusing a request OpenAI would accept. Item and part types we do not model are marked `unsupported`
// (see markUnsupported) and reported too.

const inputText = z.looseObject({ type: z.literal('input_text'), text: z.string() });
const inputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1).nullish(),
  file_id: z.string().nullish(),
  detail: z.string().nullish(),
});
const inputFile = z.looseObject({ type: z.literal('input_file') });
const outputText = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const refusal = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
const unsupported = z.object({ type: z.literal('unsupported'), name: z.string() });

/** A part of a message's content. */
const contentPart = z.preprocess(
  markUnsupported(new Set(['input_text', 'input_image', 'input_file', 'output_text', 'refusal'])),
  z.discriminatedUnion('type', [inputText, inputImage, inputFile, outputText, refusal, unsupported]),
);
/** A part of a tool's output (function_call_output.output as an array). */
const outputPart = z.preprocess(
  markUnsupported(new Set(['input_text', 'input_image', 'input_file'])),
  z.discriminatedUnion('type', [inputText, inputImage, inputFile, unsupported]),
);

const message = z.looseObject({
  type: z.literal('message'),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(contentPart)]),
});
const functionCall = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  namespace: z.string().nullish(),
});
const functionCallOutput = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(outputPart)]),
});
const reasoning = z.looseObject({
  type: z.literal('reasoning'),
  summary: z.array(z.looseObject({ text: z.string() })).nullish(),
  content: z.array(z.looseObject({ text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
});
const customToolCall = z.looseObject({
  type: z.literal('custom_tool_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  input: z.string(),
  namespace: z.string().nullish(),
});
const customToolCallOutput = z.looseObject({
  type: z.literal('custom_tool_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(outputPart)]),
});
const itemReference = z.looseObject({ type: z.literal('item_reference'), id: z.string().min(1) });

const ITEM_TYPES = new Set([
  'message', 'function_call', 'function_call_output', 'reasoning', 'custom_tool_call', 'custom_tool_call_output', 'item_reference',
]);

/** An item without `type` but with `role` is a message (EasyInputMessage); unmodelled types are marked. */
function normaliseItem(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const item = value as Record<string, unknown>;
  if (item.type === undefined && item.role !== undefined) return { ...item, type: 'message' };
  return markUnsupported(ITEM_TYPES)(value);
}

/** One input item. */
export const responsesInputItemSchema = z.preprocess(
  normaliseItem,
  z.discriminatedUnion('type', [message, functionCall, functionCallOutput, reasoning, customToolCall, customToolCallOutput, itemReference, unsupported]),
);

const parameters = z.record(z.string(), z.unknown()).nullish();
const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters,
  strict: z.boolean().nullish(),
});
const customTool = z.looseObject({
  type: z.literal('custom'),
  name: z.string().min(1),
  description: z.string().nullish(),
  format: z.looseObject({ type: z.string(), syntax: z.string().optional(), definition: z.string().optional() }).nullish(),
});
const memberTool = z.preprocess(markUnsupported(new Set(['function', 'custom'])), z.discriminatedUnion('type', [functionTool, customTool, unsupported]));
const namespaceTool = z.looseObject({
  type: z.literal('namespace'),
  name: z.string().min(1),
  description: z.string().nullish(),
  tools: z.array(memberTool),
});

/** A tool: function, custom (free-form input), a namespace of those; built-in tools are marked unsupported. */
export const responsesToolSchema = z.preprocess(
  markUnsupported(new Set(['function', 'custom', 'namespace'])),
  z.discriminatedUnion('type', [functionTool, customTool, namespaceTool, unsupported]),
);

/** tool_choice: a mode, a named function or custom tool, allowed_tools, or a built-in tool's type. */
export const responsesToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.enum(['function', 'custom']), name: z.string().min(1) }),
  z.looseObject({ type: z.literal('allowed_tools'), mode: z.enum(['auto', 'required']), tools: z.array(z.looseObject({ type: z.string() })) }),
  // A built-in tool's type (web_search, file_search, …), which the translation reports.
  z.looseObject({ type: z.string().min(1) }).refine((choice) => !['function', 'custom', 'allowed_tools'].includes(choice.type), { message: 'Invalid tool_choice: function and custom need a name, allowed_tools a mode and tools' }),
]);

/** text.format: plain text, any JSON object, or JSON valid against a schema (structured output). */
export const responsesTextFormatSchema = z.preprocess(markUnsupported(new Set(['text', 'json_object', 'json_schema'])), z.discriminatedUnion('type', [
  unsupported,
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, underscores or dashes'),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]));

/**
 * What every Responses request must be, whatever provider it goes to: checked once, by ingress. `input` may
 * be absent when `previous_response_id` (resolved by ingress) or a prompt supplies the conversation.
 */
export const responsesEnvelopeSchema = z.looseObject({
  model: modelNameSchema,
  input: z.union([z.string(), z.array(z.looseObject({}))]).optional(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  instructions: z.string().nullish(),
});

/** What translation reads: the envelope plus every field the gateway carries into the IR or echoes. */
export const responsesRequestSchema = responsesEnvelopeSchema.extend({
  input: z.union([z.string(), z.array(responsesInputItemSchema)]).optional(),
  tools: z.array(responsesToolSchema).nullish(),
  tool_choice: responsesToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({ format: responsesTextFormatSchema.nullish(), verbosity: z.enum(['low', 'medium', 'high']).nullish() }).nullish(),
  reasoning: z.looseObject({
    effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullish(),
    summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
    generate_summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
  }).nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  include: z.array(z.string()).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  service_tier: z.string().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  background: z.boolean().nullish(),
  stream_options: z.looseObject({ include_obfuscation: z.boolean().optional() }).nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;
export type ResponsesTool = z.infer<typeof responsesToolSchema>;
export type ResponsesContentPart = z.infer<typeof contentPart>;
export type ResponsesOutputPart = z.infer<typeof outputPart>;
