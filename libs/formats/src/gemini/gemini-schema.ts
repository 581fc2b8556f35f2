import { z } from 'zod';

// A generateContent request as a Gemini client may send it (after camelizeGeminiKeys). Objects are
// loose: fields the IR does not carry are reported as dropped when the request is translated.

const part = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  inlineData: z.looseObject({ mimeType: z.string().min(1), data: z.string() }).optional(),
  fileData: z.looseObject({ mimeType: z.string().optional(), fileUri: z.string().min(1) }).optional(),
  functionCall: z.looseObject({ id: z.string().optional(), name: z.string().min(1), args: z.record(z.string(), z.unknown()).optional() }).optional(),
  functionResponse: z
    .looseObject({ id: z.string().optional(), name: z.string().min(1), response: z.record(z.string(), z.unknown()).optional() })
    .optional(),
});

const content = z.looseObject({
  role: z.enum(['user', 'model', 'function']).optional(),
  parts: z.array(part),
});

const functionDeclaration = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  parametersJsonSchema: z.record(z.string(), z.unknown()).optional(),
});

const tool = z.looseObject({ functionDeclarations: z.array(functionDeclaration).optional() });

const thinkingConfig = z.looseObject({
  includeThoughts: z.boolean().optional(),
  thinkingBudget: z.number().int().min(-1).optional(),
  thinkingLevel: z.string().optional(),
});

export const generationConfigSchema = z.looseObject({
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().int().nonnegative().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  stopSequences: z.array(z.string()).optional(),
  candidateCount: z.number().int().positive().optional(),
  thinkingConfig: thinkingConfig.optional(),
  responseMimeType: z.string().optional(),
  responseSchema: z.record(z.string(), z.unknown()).optional(),
  responseJsonSchema: z.unknown().optional(),
});

/**
 * What every generateContent request must be, whatever provider it goes to: checked once, by ingress,
 * before any backend is called (the model and the method are in the path). Only the top of the body is
 * read; the rest is the upstream's to judge when the body passes through, or geminiRequestSchema's
 * when it is translated.
 */
export const geminiEnvelopeSchema = z.looseObject({
  contents: z.array(z.object({ parts: z.array(z.unknown()) })).min(1),
});

/** What translation reads: the envelope plus every field the gateway carries into the IR. */
export const geminiRequestSchema = geminiEnvelopeSchema.extend({
  contents: z.array(content),
  systemInstruction: z.union([z.string(), content]).optional(),
  tools: z.array(tool).optional(),
  toolConfig: z
    .looseObject({
      functionCallingConfig: z
        .looseObject({
          mode: z.preprocess(
            (v) => (typeof v === 'string' ? v.toUpperCase() : v),
            z.enum(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']),
          ).optional(),
          allowedFunctionNames: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
  generationConfig: generationConfigSchema.optional(),
});

export type GeminiClientRequest = z.infer<typeof geminiRequestSchema>;
export type GeminiClientContent = GeminiClientRequest['contents'][number];

