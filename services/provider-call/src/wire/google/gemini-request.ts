import { systemPartsAsUserText, type IrRequest, type IrThinking, type IrToolChoice } from '../../ir/chat-ir.js';
import { thinkingBudget } from '../../ir/thinking-budget.js';
import { irPartsToGemini, SKIP_SIGNATURE } from './gemini-parts.js';
import { irToGeminiOutputConfig } from './gemini-response-format.js';
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

/** Models that reject a replayed function call without a thought signature (Gemini 3 and later). */
export function requiresCallSignatures(model: string): boolean {
  return /(^|\/)gemini-([3-9]|\d{2,})/.test(model);
}

/** IR thinking → thinkingConfig: off is a zero budget; on shows the thoughts, with the budget asked for. */
export function geminiThinkingConfig(thinking: IrThinking): Record<string, unknown> {
  if (!thinking.enabled) return { thinkingBudget: 0 };
  const budget = thinking.budgetTokens ?? (thinking.effort === undefined ? undefined : thinkingBudget(thinking, 0));
  return { includeThoughts: true, ...(budget === undefined ? {} : { thinkingBudget: budget }) };
}

/**
 * A model turn whose first function call carries no signature (history written by another provider
 * or a client that cannot keep one) gets Google's documented skip value, or Gemini 3 refuses it.
 */
function signFirstCall(content: GeminiContent): void {
  const first = content.parts.find((p) => p.functionCall !== undefined);
  if (first !== undefined && first.thoughtSignature === undefined) first.thoughtSignature = SKIP_SIGNATURE;
}

/**
 * IR → Gemini request for `model`; consecutive turns of one role are merged, as Gemini expects
 * alternation. Gemini has one systemInstruction and no system turns: a system message later in the
 * conversation stays where it is, as user text (its order carries meaning, e.g. "from now on …", and
 * the prefix the upstream caches stays put), and that it lost its role is reported.
 */
export function irToGeminiRequest(ir: IrRequest, model = ''): { request: GeminiRequest; dropped: string[] } {
  const dropped = new Set<string>();
  const options = { keepUnsigned: false, dropped, toolNames: new Map<string, string>(), nestResultImages: requiresCallSignatures(model) };
  const contents: GeminiContent[] = [];
  for (const message of ir.messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    if (message.role === 'system') dropped.add('system_message:user_turn');
    const parts = irPartsToGemini(message.role === 'system' ? systemPartsAsUserText(message.parts) : message.parts, options);
    if (parts.length === 0) continue;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  if (requiresCallSignatures(model)) for (const content of contents) if (content.role === 'model') signFirstCall(content);
  const request: GeminiRequest = { contents };
  if (ir.system !== undefined && ir.system !== '') request.systemInstruction = { parts: [{ text: ir.system }] };
  if (ir.user !== undefined) dropped.add(ir.user.field);

  const config: Record<string, unknown> = {};
  if (ir.temperature !== undefined) config.temperature = ir.temperature;
  if (ir.topP !== undefined) config.topP = ir.topP;
  if (ir.topK !== undefined) config.topK = ir.topK;
  if (ir.maxTokens !== undefined) config.maxOutputTokens = ir.maxTokens;
  if (ir.stop.length > 0) config.stopSequences = ir.stop;
  if (ir.thinking !== undefined) config.thinkingConfig = geminiThinkingConfig(ir.thinking);
  if (ir.responseFormat !== undefined) Object.assign(config, irToGeminiOutputConfig(ir.responseFormat, dropped));
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
    if (ir.parallelToolCalls === false) dropped.add('parallel_tool_calls');
  }
  if (ir.toolChoice !== undefined) {
    const choice = ir.toolChoice;
    request.toolConfig = {
      functionCallingConfig: { mode: MODES[choice.type], ...(choice.type === 'tool' ? { allowedFunctionNames: [choice.name] } : {}) },
    };
  }
  return { request, dropped: [...dropped] };
}
