import { z } from 'zod';
import { modelNameSchema } from '../validation/model-name.js';
import { markUnsupported } from '../validation/validate-body.js';
import { anthropicOutputConfigSchema, anthropicOutputFormatSchema } from './anthropic-output-format-schema.js';

// The Messages API request as a client may send it. Unknown block and tool types (documents, server
// tools) are accepted and reported as dropped when the request is translated.

const unsupported = z.object({ type: z.literal('unsupported'), name: z.string() });

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
    z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
});
const toolResultContent = z.union([
  z.string(),
  z.array(z.preprocess(markUnsupported(new Set(['text', 'image'])), z.discriminatedUnion('type', [textBlock, imageBlock, unsupported]))),
]);
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: toolResultContent.optional(),
  is_error: z.boolean().optional(),
});
const thinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() });
const redactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });

/** Block types the IR carries, with the fields each carries (others are reported as dropped). */
export const BLOCK_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  text: new Set(['type', 'text']),
  image: new Set(['type', 'source']),
  tool_use: new Set(['type', 'id', 'name', 'input']),
  tool_result: new Set(['type', 'tool_use_id', 'content', 'is_error']),
  thinking: new Set(['type', 'thinking', 'signature']),
  redacted_thinking: new Set(['type', 'data']),
};

const block = z.preprocess(
  markUnsupported(new Set(Object.keys(BLOCK_FIELDS))),
  z.discriminatedUnion('type', [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinkingBlock, unsupported]),
);

// `system` messages after the first turn are Claude's mid-conversation system messages (Claude Code
// sends one on every request).
const message = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(block)]),
});

const customTool = z.looseObject({
  type: z.literal('custom'),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
});
// Custom tools may omit `type`; server tools (web_search_…) name theirs.
const markTool = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  const type = (value as { type?: unknown }).type;
  if (type === undefined || type === 'custom') return { ...value, type: 'custom' };
  return typeof type === 'string' ? { type: 'unsupported', name: type } : value;
};
const tool = z.preprocess(markTool, z.discriminatedUnion('type', [customTool, unsupported]));

const toolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('none') }),
]);

const thinking = z.looseObject({
  type: z.enum(['enabled', 'disabled', 'adaptive']),
  budget_tokens: z.number().int().positive().optional(),
});

/** A count_tokens body: a Messages body without max_tokens (see anthropicEnvelopeSchema). */
export const anthropicCountTokensEnvelopeSchema = z.looseObject({
  model: modelNameSchema,
  // Each message's role is all the envelope reads (a strict object: its copy is thrown away, and cheaper).
  messages: z.array(z.object({ role: z.string().min(1) })).min(1),
});

/**
 * What every Messages request must be, whatever provider it goes to: checked once, by ingress, before
 * any backend is called. Only the top of the body is read (cheap on large bodies); the rest is the
 * upstream's to judge when the body passes through, or anthropicRequestSchema's when it is translated.
 */
export const anthropicEnvelopeSchema = anthropicCountTokensEnvelopeSchema.extend({
  max_tokens: z.number().int().positive(),
  stream: z.boolean().nullish(),
});

/** What translation reads: the envelope plus every field the gateway carries into the IR. */
export const anthropicRequestSchema = anthropicEnvelopeSchema.extend({
  messages: z.array(message),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  thinking: thinking.optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  stop_sequences: z.array(z.string()).optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).nullable().optional(),
  output_config: anthropicOutputConfigSchema.optional(),
  output_format: anthropicOutputFormatSchema.optional(),
});

export type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;
export type AnthropicMessage = AnthropicRequest['messages'][number];
export type AnthropicBlock = Exclude<AnthropicMessage['content'], string>[number];

