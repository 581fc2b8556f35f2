import type { DecodedRequest } from '../../adapters/client-codec.js';
import { uncarriedFields, validateBody } from '@aigw/formats';
import type { IrMessage, IrRequest, IrThinking, IrTool, IrToolChoice } from '../../ir/chat-ir.js';
import { assertJsonDepth } from '@aigw/formats';
import type { JsonRecord } from '../../ir/json-shape.js';
import { geminiRequestSchema, type GeminiClientRequest } from '@aigw/formats';
import { camelizeGeminiKeys } from './gemini-keys.js';
import { geminiPartsToIr } from './gemini-parts.js';
import { geminiResponseFormatToIr } from './gemini-response-format.js';
import { fromGeminiSchema } from './gemini-schema.js';

// Gemini generateContent request (client side) → IR. The model is in the URL, not the body, and the
// stream flag is the endpoint's (both come with the call).

const CARRIED = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'model']);
const CONFIG_CARRIED = new Set([
  'temperature', 'topP', 'topK', 'maxOutputTokens', 'stopSequences', 'candidateCount', 'thinkingConfig', 'responseMimeType', 'responseSchema',
  'responseJsonSchema',
]);
const PART_FIELDS = new Set(['text', 'thought', 'thoughtSignature', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult', 'videoMetadata']);

type Config = NonNullable<GeminiClientRequest['generationConfig']>;
type CallingConfig = NonNullable<NonNullable<GeminiClientRequest['toolConfig']>['functionCallingConfig']>;

/** thinkingConfig → IR: a zero budget turns thinking off, -1 (dynamic) or a level leaves the budget to the model. */
export function geminiThinkingToIr(config: NonNullable<Config['thinkingConfig']>): IrThinking | undefined {
  const budget = config.thinkingBudget;
  if (budget === 0) return { enabled: false };
  if (budget !== undefined && budget > 0) return { enabled: true, budgetTokens: budget };
  const level = config.thinkingLevel?.toLowerCase();
  if (level === 'minimal' || level === 'low' || level === 'medium' || level === 'high') return { enabled: true, effort: level };
  return budget === -1 || config.includeThoughts === true ? { enabled: true } : undefined;
}

/** functionCallingConfig → IR tool choice (ANY with one allowed name is that tool). */
export function geminiToolChoiceToIr(config: CallingConfig, dropped: Set<string>): IrToolChoice | undefined {
  const names = config.allowedFunctionNames ?? [];
  switch (config.mode) {
    case 'NONE':
      return { type: 'none' };
    case 'ANY':
    case 'VALIDATED':
      if (names.length === 1) return { type: 'tool', name: names[0] as string };
      if (names.length > 1) dropped.add('toolConfig.functionCallingConfig.allowedFunctionNames');
      return { type: 'required' };
    case 'AUTO':
      return { type: 'auto' };
    default:
      return undefined;
  }
}

/**
 * Gives every call an id and every result the id of its call: Gemini clients may pair them by name
 * alone, so a result without an id takes the earliest unanswered call of that name.
 */
export function pairToolResults(messages: IrMessage[]): void {
  const unanswered: Array<{ id: string; name: string }> = [];
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.type === 'tool_call') unanswered.push({ id: part.id, name: part.name });
      if (part.type !== 'tool_result') continue;
      const at = part.toolCallId === '' ? unanswered.findIndex((c) => c.name === part.name) : unanswered.findIndex((c) => c.id === part.toolCallId);
      if (at >= 0) {
        if (part.toolCallId === '') part.toolCallId = unanswered[at]?.id ?? '';
        unanswered.splice(at, 1);
      }
      if (part.toolCallId === '') part.toolCallId = `call_${part.name ?? 'unknown'}`;
    }
  }
}

function toolsToIr(tools: NonNullable<GeminiClientRequest['tools']>, dropped: Set<string>): IrTool[] {
  const out: IrTool[] = [];
  for (const tool of tools) {
    for (const key of uncarriedFields(tool, new Set(['functionDeclarations']))) dropped.add(`tools.${key}`);
    for (const fn of tool.functionDeclarations ?? []) {
      for (const key of uncarriedFields(fn, new Set(['name', 'description', 'parameters', 'parametersJsonSchema']))) dropped.add(`tools.functionDeclarations.${key}`);
      const parameters = fn.parametersJsonSchema ?? (fn.parameters === undefined ? { type: 'object', properties: {} } : fromGeminiSchema(fn.parameters));
      out.push({ name: fn.name, ...(fn.description === undefined ? {} : { description: fn.description }), parameters });
    }
  }
  return out;
}

function messagesToIr(req: GeminiClientRequest, dropped: Set<string>): IrMessage[] {
  let calls = 0;
  const newToolCallId = () => `call_${++calls}`;
  const messages: IrMessage[] = [];
  for (const content of req.contents) {
    for (const part of content.parts) for (const key of uncarriedFields(part, PART_FIELDS)) dropped.add(`contents.parts.${key}`);
    const parts = geminiPartsToIr(content.parts as JsonRecord[], { newToolCallId, dropped });
    if (parts.length > 0) messages.push({ role: content.role === 'model' ? 'assistant' : 'user', parts });
  }
  pairToolResults(messages);
  return messages;
}

function applyConfig(ir: IrRequest, config: Config, dropped: Set<string>): void {
  for (const key of uncarriedFields(config, CONFIG_CARRIED)) dropped.add(`generationConfig.${key}`);
  if (config.candidateCount !== undefined && config.candidateCount > 1) dropped.add('generationConfig.candidateCount');
  if (config.temperature !== undefined) ir.temperature = config.temperature;
  if (config.topP !== undefined) ir.topP = config.topP;
  if (config.topK !== undefined) ir.topK = config.topK;
  if (config.maxOutputTokens !== undefined) ir.maxTokens = config.maxOutputTokens;
  if (config.stopSequences !== undefined) ir.stop = config.stopSequences;
  const thinking = config.thinkingConfig === undefined ? undefined : geminiThinkingToIr(config.thinkingConfig);
  if (thinking !== undefined) ir.thinking = thinking;
  const responseFormat = geminiResponseFormatToIr(config, dropped);
  if (responseFormat !== undefined) ir.responseFormat = responseFormat;
}

/** Validates a Gemini generateContent body (camelCase or snake_case) and maps it to the IR. */
export function geminiRequestToIr(body: unknown, stream: boolean): DecodedRequest {
  if (typeof body === 'object' && body !== null) assertJsonDepth(body);
  const req = validateBody(geminiRequestSchema, camelizeGeminiKeys(body));
  const dropped = new Set(uncarriedFields(req, CARRIED));
  const ir: IrRequest = { messages: messagesToIr(req, dropped), tools: toolsToIr(req.tools ?? [], dropped), stop: [], stream, dropped: [] };
  const system = typeof req.systemInstruction === 'string' ? req.systemInstruction : req.systemInstruction?.parts.map((p) => p.text ?? '').join('\n');
  if (system !== undefined && system !== '') ir.system = system;
  const calling = req.toolConfig?.functionCallingConfig;
  const choice = calling === undefined ? undefined : geminiToolChoiceToIr(calling, dropped);
  if (choice !== undefined) ir.toolChoice = choice;
  if (req.generationConfig !== undefined) applyConfig(ir, req.generationConfig, dropped);
  ir.dropped = [...dropped];
  return { ir, streamUsage: true };
}
