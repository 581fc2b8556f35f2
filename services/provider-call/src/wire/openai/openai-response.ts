import { AppError } from '@aigw/errors';
import type { EncodeContext } from '../../adapters/client-codec.js';
import type { IrResponse, IrStopReason, IrUsage } from '../../ir/chat-ir.js';
import { asArray, asCount, asRecord, asString } from '../../ir/json-shape.js';
import { assistantMessage } from './openai-request-encoder.js';

/** finish_reason → IR stop reason. */
export const FINISH_TO_IR: Readonly<Record<string, IrStopReason>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'content_filter',
};

/** IR stop reason → finish_reason. */
export const IR_TO_FINISH: Readonly<Record<IrStopReason, string>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  content_filter: 'content_filter',
};

/** OpenAI usage → IR (prompt_tokens already include the cached ones, completion_tokens the reasoning). */
export function openAiUsageToIr(usage: unknown): IrUsage {
  const u = asRecord(usage);
  const ir: IrUsage = {
    inputTokens: asCount(u?.prompt_tokens),
    outputTokens: asCount(u?.completion_tokens),
    cachedInputTokens: asCount(asRecord(u?.prompt_tokens_details)?.cached_tokens),
  };
  const reasoning = asCount(asRecord(u?.completion_tokens_details)?.reasoning_tokens);
  if (reasoning > 0) ir.reasoningTokens = reasoning;
  return ir;
}

export function irUsageToOpenAi(usage: IrUsage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
  if (usage.reasoningTokens !== undefined) out.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return out;
}

/** Google's `extra_content.google.thought_signature` on a tool call, if any. */
export function toolCallSignature(call: Record<string, unknown>): string | undefined {
  const signature = asString(asRecord(asRecord(call.extra_content)?.google)?.thought_signature);
  return signature === '' ? undefined : signature;
}

/** Reasoning text of a message or delta: `reasoning_content` (DeepSeek, GLM, vLLM) or `reasoning` (newer vLLM, OpenRouter). */
export function reasoningText(message: Record<string, unknown> | undefined): string | undefined {
  return asString(message?.reasoning_content) ?? asString(message?.reasoning);
}

/** A chat.completion body → IR; throws AppError UPSTREAM_ERROR when it has no readable choice. */
export function openAiResponseToIr(body: unknown): IrResponse {
  const root = asRecord(body);
  const choice = asRecord(asArray(root?.choices)?.[0]);
  const message = asRecord(choice?.message);
  if (root === undefined || message === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer has no choices[0].message');
  const parts: IrResponse['parts'] = [];
  const reasoning = reasoningText(message);
  if (reasoning !== undefined && reasoning !== '') parts.push({ type: 'reasoning', text: reasoning });
  const content = asString(message.content);
  if (content !== undefined && content !== '') parts.push({ type: 'text', text: content });
  for (const raw of asArray(message.tool_calls) ?? []) {
    const call = asRecord(raw);
    const fn = asRecord(call?.function);
    const name = asString(fn?.name);
    if (call === undefined || name === undefined) continue;
    const signature = toolCallSignature(call);
    if (signature !== undefined) parts.push({ type: 'reasoning', text: '', signature });
    parts.push({ type: 'tool_call', id: asString(call.id) ?? '', name, arguments: asString(fn?.arguments) ?? '{}' });
  }
  const finish = asString(choice?.finish_reason);
  const response: IrResponse = {
    parts,
    stopReason: (finish === undefined ? undefined : FINISH_TO_IR[finish]) ?? 'end_turn',
    usage: openAiUsageToIr(root.usage),
  };
  const model = asString(root.model);
  if (model !== undefined) response.model = model;
  return response;
}

/** IR → a chat.completion body (the message is built as an upstream-bound assistant message is). */
export function irToOpenAiResponse(response: IrResponse, ctx: EncodeContext): Record<string, unknown> {
  const message = assistantMessage(response.parts, new Set());
  return {
    id: `chatcmpl-${ctx.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.model ?? ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: IR_TO_FINISH[response.stopReason] }],
    usage: irUsageToOpenAi(response.usage),
  };
}
