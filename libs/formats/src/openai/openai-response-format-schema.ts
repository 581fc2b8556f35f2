import { z } from 'zod';
import { markUnsupported } from '../validation/validate-body.js';

// Chat Completions `response_format` as a client sends it: {type: "text"}, {type: "json_object"} or
// {type: "json_schema", json_schema: {name, description, schema, strict}}. provider-call maps it.

/** The `response_format` field as a client may send it; other types (a server's own extension) are reported, not refused. */
export const openAiResponseFormatSchema = z.preprocess(markUnsupported(new Set(['text', 'json_object', 'json_schema'])), z.discriminatedUnion('type', [
  z.object({ type: z.literal('unsupported'), name: z.string() }),
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, underscores or dashes'),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]));

export type OpenAiResponseFormat = z.infer<typeof openAiResponseFormatSchema>;
