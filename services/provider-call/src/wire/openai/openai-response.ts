import { AppError } from '@aigw/errors';
import type { EncodeContext } from '../../adapters/client-codec.js';
import type { IrResponse, IrStopReason, IrUsage } from '../../ir/chat-ir.js';
import { asArray, asCount, asRecord, asString } from '../../ir/json-shape.js';

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

/** OpenAI usage → IR (prompt_tokens already include the cached ones). */
export function openAiUsageToIr(usage: unknown): IrUsage {
  const u = asRecord(usage);
  return {
    inputTokens: asCount(u?.prompt_tokens),
    outputTokens: asCount(u?.completion_tokens),
    cachedInputTokens: asCount(asRecord(u?.prompt_tokens_details)?.cached_tokens),
  };
}

export function irUsageToOpenAi(usage: IrUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
}

/** A chat.completion body → IR; throws AppError UPSTREAM_ERROR when it has no readable choice. */
export function openAiResponseToIr(body: unknown): IrResponse {
  const root = asRecord(body);
  const choice = asRecord(asArray(root?.choices)?.[0]);
  const message = asRecord(choice?.message);
  if (root === undefined || message === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer has no choices[0].message');
  const parts: IrResponse['parts'] = [];
  const content = asString(message.content);
  if (content !== undefined && content !== '') parts.push({ type: 'text', text: content });
  for (const raw of asArray(message.tool_calls) ?? []) {
    const call = asRecord(raw);
    const fn = asRecord(call?.function);
    const name = asString(fn?.name);
    if (call === undefined || name === undefined) continue;
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

/** IR → a chat.completion body. */
export function irToOpenAiResponse(response: IrResponse, ctx: EncodeContext): Record<string, unknown> {
  const text = response.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
  const calls = response.parts.flatMap((p) =>
    p.type === 'tool_call' ? [{ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } }] : [],
  );
  const message: Record<string, unknown> = { role: 'assistant', content: text === '' && calls.length > 0 ? null : text };
  if (calls.length > 0) message.tool_calls = calls;
  return {
    id: `chatcmpl-${ctx.requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.model ?? ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: IR_TO_FINISH[response.stopReason] }],
    usage: irUsageToOpenAi(response.usage),
  };
}
