import { z } from 'zod';
import { GoogleGenAI, Type, type Content, type GenerateContentResponse, type Part, type Schema, type Tool } from '@google/genai';
import { defineConformanceSuite } from './support/conformance-suite.js';
import type { Counted } from './support/header-and-count-cases.js';
import { decodeDropped } from './support/response-headers.js';
import type { Conversation, Mode, Observed } from './support/scenarios.js';

// The `@google/genai` SDK against the gateway's Gemini endpoints (generateContent, and
// streamGenerateContent?alt=sse), for every provider behind it. Tools are declared the way the SDK's
// function-calling guide does, with `Type` schemas; tool results go back as functionResponse parts.
// Structured output as the SDK's guide does it: `responseMimeType: "application/json"` with a
// `responseJsonSchema` made from a zod schema, and the text parsed and validated by the caller.

const THINKING_BUDGET = 1024;
/** Google's quota-project header, as a user sets it per request: the account's business, so always reported. */
const PROBE = { name: 'x-goog-user-project', value: 'conformance-project' };

/** A JSON Schema in the Gemini Schema dialect (upper-case types), as a genai user writes it. */
function geminiSchema(schema: Record<string, unknown>): Schema {
  const out: Record<string, unknown> = { ...schema };
  if (typeof schema['type'] === 'string') out['type'] = schema['type'].toUpperCase() as Type;
  const properties = schema['properties'] as Record<string, Record<string, unknown>> | undefined;
  if (properties !== undefined) out['properties'] = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, geminiSchema(v)]));
  return out as Schema;
}

function contentsOf(conversation: Conversation): Content[] {
  const contents: Content[] = [];
  for (const turn of conversation.turns) {
    if (turn.role === 'user') {
      const parts: Part[] = [{ text: turn.text }];
      if (turn.image !== undefined) {
        parts.push(
          'url' in turn.image
            ? { fileData: { fileUri: turn.image.url, mimeType: 'image/png' } }
            : { inlineData: { data: turn.image.base64, mimeType: turn.image.mimeType } },
        );
      }
      contents.push({ role: 'user', parts });
    } else if (turn.role === 'assistant') {
      contents.push({ role: 'model', parts: [{ text: turn.text }] });
    } else if (turn.role === 'assistant-reply') {
      // The model's turn as the SDK returned it (for a stream: its parts, gathered).
      contents.push(turn.reply.native as Content);
    } else if (turn.role === 'system') {
      throw new Error('Gemini has no system turn inside contents (the suite does not send one)');
    } else {
      const functionResponse = { name: turn.name, response: { output: turn.result }, ...(turn.callId === undefined ? {} : { id: turn.callId }) };
      contents.push({ role: 'user', parts: [{ functionResponse }] });
    }
  }
  return contents;
}

function toolsOf(conversation: Conversation): Tool[] | undefined {
  if (conversation.tools === undefined) return undefined;
  return [{ functionDeclarations: conversation.tools.map((t) => ({ name: t.name, description: t.description, parameters: geminiSchema(t.parameters) })) }];
}

/** Folds whole or streamed responses into one answer: parts in order, the last finish reason and usage. */
function observe(responses: GenerateContentResponse[]): Observed {
  const parts: Part[] = [];
  let stop: string | undefined;
  let usage: Record<string, unknown> | undefined;
  for (const response of responses) {
    const candidate = response.candidates?.[0];
    parts.push(...(candidate?.content?.parts ?? []));
    if (candidate?.finishReason !== undefined) stop = candidate.finishReason;
    if (response.usageMetadata !== undefined) usage = response.usageMetadata as Record<string, unknown>;
  }
  const calls = parts.flatMap((p) => (p.functionCall === undefined ? [] : [p.functionCall]));
  return {
    text: parts.map((p) => (p.thought === true ? '' : (p.text ?? ''))).join(''),
    reasoning: parts.map((p) => (p.thought === true ? (p.text ?? '') : '')).join(''),
    signatures: parts.flatMap((p) => (p.thoughtSignature === undefined ? [] : [p.thoughtSignature])),
    toolCalls: calls.map((c) => ({ id: c.id, name: c.name ?? '', args: c.args ?? {} })),
    stop,
    usage,
    model: undefined,
    dropped: decodeDropped(responses[0]?.sdkHttpResponse?.headers?.['x-aigw-dropped']),
    native: { role: 'model', parts } satisfies Content,
  };
}

defineConformanceSuite({
  client: 'gemini',
  sdk: '@google/genai',
  testFile: import.meta.url,
  countsTokens: true,
  connect: (stack) => {
    const ai = new GoogleGenAI({ apiKey: stack.clientKey, httpOptions: { baseUrl: stack.ingressUrl } });
    return {
      probeHeader: PROBE,
      async countTokens(model: string, conversation: Conversation): Promise<Counted> {
        // The Gemini API counts contents only (the SDK refuses a system instruction or tools here).
        const counted = await ai.models.countTokens({ model, contents: contentsOf(conversation) });
        const headers = counted.sdkHttpResponse?.headers;
        return { tokens: counted.totalTokens ?? -1, how: headers?.['x-aigw-token-count'] ?? null, dropped: decodeDropped(headers?.['x-aigw-dropped']) };
      },
      async send(model: string, conversation: Conversation, mode: Mode, probe = false): Promise<Observed> {
        const tools = toolsOf(conversation);
        const params = {
          model,
          contents: contentsOf(conversation),
          config: {
            ...(conversation.system === undefined ? {} : { systemInstruction: conversation.system }),
            ...(tools === undefined ? {} : { tools }),
            ...(conversation.maxTokens === undefined ? {} : { maxOutputTokens: conversation.maxTokens }),
            ...(conversation.reasoning === true ? { thinkingConfig: { includeThoughts: true, thinkingBudget: THINKING_BUDGET } } : {}),
            ...(probe ? { httpOptions: { headers: { [PROBE.name]: PROBE.value } } } : {}),
            ...(conversation.output === undefined ? {} : { responseMimeType: 'application/json', responseJsonSchema: z.toJSONSchema(conversation.output.schema) }),
          },
        };
        const chunks: GenerateContentResponse[] = [];
        if (mode === 'json') chunks.push(await ai.models.generateContent(params));
        else for await (const chunk of await ai.models.generateContentStream(params)) chunks.push(chunk);
        const observed = observe(chunks);
        return conversation.output === undefined ? observed : { ...observed, parsed: conversation.output.schema.parse(JSON.parse(observed.text)) };
      },
    };
  },
});
