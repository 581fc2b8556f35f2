import { z } from 'zod';

// Anthropic structured output as a client sends it: `output_config.format` = {type: "json_schema", schema}
// (the older beta spelling is a top-level `output_format` of the same shape). provider-call maps it.

export const anthropicOutputFormatSchema = z.looseObject({
  type: z.literal('json_schema'),
  schema: z.record(z.string(), z.unknown()),
});

export const anthropicOutputConfigSchema = z.looseObject({ format: anthropicOutputFormatSchema.nullish() });

export type AnthropicOutputFormat = z.infer<typeof anthropicOutputFormatSchema>;
export type AnthropicOutputConfig = z.infer<typeof anthropicOutputConfigSchema>;
