import { z } from 'zod';
import { modelNameSchema } from '../validation/model-name.js';
import { markUnsupported } from '../validation/validate-body.js';
import { openAiResponseFormatSchema } from './openai-response-format-schema.js';

// The Chat Completions request as a client may send it. Objects are loose: fields we do not model are
// kept and reported as dropped when the request is translated (pass-through forwards them untouched).

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string().min(1), detail: z.string().optional() }),
});
/** Any other part type (input_audio, file, …): accepted, reported as dropped. */
const unsupportedPart = z.object({ type: z.literal('unsupported'), name: z.string() });

const contentPart = z.preprocess(
  markUnsupported(new Set(['text', 'image_url'])),
  z.discriminatedUnion('type', [textPart, imagePart, unsupportedPart]),
);
const textOnlyPart = z.preprocess(markUnsupported(new Set(['text'])), z.discriminatedUnion('type', [textPart, unsupportedPart]));

const textContent = z.union([z.string(), z.array(textOnlyPart)]);
const userContent = z.union([z.string(), z.array(contentPart)]);

const toolCall = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
  /** Google's OpenAI compatibility layer carries Gemini thought signatures here. */
  extra_content: z.looseObject({ google: z.looseObject({ thought_signature: z.string().optional() }).optional() }).nullish(),
});

const systemMessage = z.looseObject({ role: z.enum(['system', 'developer']), content: textContent });
const userMessage = z.looseObject({ role: z.literal('user'), content: userContent });
const assistantMessage = z.looseObject({
  role: z.literal('assistant'),
  content: textContent.nullish(),
  tool_calls: z.array(toolCall).nullish(),
  /** What OpenAI-compatible reasoning servers (DeepSeek, vLLM, GLM) call the model's reasoning. */
  reasoning_content: z.string().nullish(),
});
const toolMessage = z.looseObject({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) });

const message = z.discriminatedUnion('role', [systemMessage, userMessage, assistantMessage, toolMessage]);

const tool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
]);

/**
 * What every Chat Completions request must be, whatever provider it goes to: checked once, by ingress,
 * before any backend is called. Only the top of the body is read (cheap on large bodies); the rest is
 * the upstream's to judge when the body passes through, or openAiRequestSchema's when it is translated.
 */
export const openAiEnvelopeSchema = z.looseObject({
  model: modelNameSchema,
  // Each message's role is all the envelope reads (a strict object: its copy is thrown away, and cheaper).
  messages: z.array(z.object({ role: z.string().min(1) })).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});

/** What translation reads: the envelope plus every field the gateway carries into the IR. */
export const openAiRequestSchema = openAiEnvelopeSchema.extend({
  messages: z.array(message),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  n: z.number().int().positive().nullish(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high']).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  user: z.string().nullish(),
  response_format: openAiResponseFormatSchema.nullish(),
});

export type OpenAiRequest = z.infer<typeof openAiRequestSchema>;
export type OpenAiMessage = OpenAiRequest['messages'][number];

