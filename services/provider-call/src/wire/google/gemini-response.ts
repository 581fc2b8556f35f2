import { AppError } from '@aigw/errors';
import type { IrResponse, IrStopReason, IrUsage } from '../../ir/chat-ir.js';
import { asArray, asCount, asRecord, asString, type JsonRecord } from '../../ir/json-shape.js';

/** Gemini finishReason → IR stop reason (a STOP with function calls becomes tool_use). */
export const FINISH_TO_IR: Readonly<Record<string, IrStopReason>> = {
  STOP: 'end_turn',
  MAX_TOKENS: 'max_tokens',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
};

/** usageMetadata → IR: promptTokenCount already includes cachedContentTokenCount; thoughts are output. */
export function geminiUsageToIr(metadata: unknown): IrUsage {
  const m = asRecord(metadata);
  return {
    inputTokens: asCount(m?.promptTokenCount),
    outputTokens: asCount(m?.candidatesTokenCount) + asCount(m?.thoughtsTokenCount),
    cachedInputTokens: asCount(m?.cachedContentTokenCount),
  };
}

/** The IR stop reason for a finishReason, given whether the answer called tools. */
export function geminiStopReason(finishReason: string, calledTools: boolean): IrStopReason {
  const reason = FINISH_TO_IR[finishReason] ?? 'end_turn';
  return reason === 'end_turn' && calledTools ? 'tool_use' : reason;
}

/** Parts of the first candidate (empty when the prompt was blocked). */
export function candidateParts(response: JsonRecord): { parts: JsonRecord[]; finishReason: string | undefined } {
  const candidate = asRecord(asArray(response.candidates)?.[0]);
  const parts: JsonRecord[] = [];
  for (const raw of asArray(asRecord(candidate?.content)?.parts) ?? []) {
    const part = asRecord(raw);
    if (part !== undefined) parts.push(part);
  }
  return { parts, finishReason: asString(candidate?.finishReason) };
}

/** A GenerateContentResponse → IR; `newToolCallId` names calls that Gemini left without an id. */
export function geminiResponseToIr(body: unknown, newToolCallId: () => string): IrResponse {
  const root = asRecord(body);
  if (root === undefined || (root.candidates === undefined && root.promptFeedback === undefined)) {
    throw new AppError('UPSTREAM_ERROR', 'upstream answer has no candidates');
  }
  const { parts, finishReason } = candidateParts(root);
  const out: IrResponse['parts'] = [];
  for (const part of parts) {
    const text = asString(part.text);
    if (text !== undefined && part.thought !== true) out.push({ type: 'text', text });
    const call = asRecord(part.functionCall);
    const name = asString(call?.name);
    if (call !== undefined && name !== undefined) {
      out.push({ type: 'tool_call', id: asString(call.id) ?? newToolCallId(), name, arguments: JSON.stringify(call.args ?? {}) });
    }
  }
  const blocked = finishReason === undefined && asRecord(root.promptFeedback)?.blockReason !== undefined;
  const response: IrResponse = {
    parts: out,
    stopReason: blocked ? 'content_filter' : geminiStopReason(finishReason ?? 'STOP', out.some((p) => p.type === 'tool_call')),
    usage: geminiUsageToIr(root.usageMetadata),
  };
  const model = asString(root.modelVersion);
  if (model !== undefined) response.model = model;
  return response;
}
