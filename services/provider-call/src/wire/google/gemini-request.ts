import type { IrPart, IrRequest, IrToolChoice } from '../../ir/chat-ir.js';
import { toolArgumentsObject } from '../../ir/tool-arguments.js';
import { hasParameters, toGeminiSchema } from './gemini-schema.js';

// IR → the Gemini GenerateContent request body (the part both the Gemini API and Cloud Code share).

export interface GeminiContent {
  role: 'user' | 'model';
  parts: Array<Record<string, unknown>>;
}

export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  generationConfig?: Record<string, unknown>;
  tools?: Array<{ functionDeclarations: Array<Record<string, unknown>> }>;
  toolConfig?: { functionCallingConfig: Record<string, unknown> };
}

const MODES: Record<IrToolChoice['type'], string> = { auto: 'AUTO', none: 'NONE', required: 'ANY', tool: 'ANY' };

/** One IR part → a Gemini part, or undefined (reported in `dropped`) when Gemini cannot carry it. */
function geminiPart(part: IrPart, toolNames: Map<string, string>, dropped: Set<string>): Record<string, unknown> | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { text: part.text };
    case 'image':
      if (part.source.kind === 'base64') return { inlineData: { mimeType: part.source.mediaType, data: part.source.data } };
      dropped.add('image_url (remote URL)');
      return undefined;
    case 'tool_call':
      toolNames.set(part.id, part.name);
      return { functionCall: { name: part.name, args: toolArgumentsObject(part.arguments) } };
    case 'tool_result':
      // Gemini pairs a result with its call by function name; the client only sent the call's id.
      return {
        functionResponse: {
          name: toolNames.get(part.toolCallId) ?? part.toolCallId,
          response: part.isError ? { error: part.content } : { content: part.content },
        },
      };
  }
}

/** IR → Gemini request; consecutive turns of one role are merged, as Gemini expects alternation. */
export function irToGeminiRequest(ir: IrRequest): { request: GeminiRequest; dropped: string[] } {
  const dropped = new Set<string>();
  const toolNames = new Map<string, string>();
  const contents: GeminiContent[] = [];
  for (const message of ir.messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts: Array<Record<string, unknown>> = [];
    for (const part of message.parts) {
      const mapped = geminiPart(part, toolNames, dropped);
      if (mapped !== undefined) parts.push(mapped);
    }
    if (parts.length === 0) continue;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  const request: GeminiRequest = { contents };
  if (ir.system !== undefined && ir.system !== '') request.systemInstruction = { parts: [{ text: ir.system }] };

  const config: Record<string, unknown> = {};
  if (ir.temperature !== undefined) config.temperature = ir.temperature;
  if (ir.topP !== undefined) config.topP = ir.topP;
  if (ir.topK !== undefined) config.topK = ir.topK;
  if (ir.maxTokens !== undefined) config.maxOutputTokens = ir.maxTokens;
  if (ir.stop.length > 0) config.stopSequences = ir.stop;
  if (Object.keys(config).length > 0) request.generationConfig = config;

  if (ir.tools.length > 0) {
    request.tools = [
      {
        functionDeclarations: ir.tools.map((tool) => {
          const parameters = toGeminiSchema(tool.parameters);
          return {
            name: tool.name,
            ...(tool.description === undefined ? {} : { description: tool.description }),
            ...(hasParameters(parameters) ? { parameters } : {}),
          };
        }),
      },
    ];
  }
  if (ir.toolChoice !== undefined) {
    const choice = ir.toolChoice;
    request.toolConfig = {
      functionCallingConfig: { mode: MODES[choice.type], ...(choice.type === 'tool' ? { allowedFunctionNames: [choice.name] } : {}) },
    };
  }
  return { request, dropped: [...dropped] };
}
