import { AppError } from '@aigw/errors';
import type { IrPart, IrResponse, IrResponsePart, IrStopReason, IrUsage } from '../../ir/chat-ir.js';
import { asArray, asCount, asRecord, asString, type JsonRecord } from '../../ir/json-shape.js';
import { geminiPartsToIr } from './gemini-parts.js';

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

/**
 * usageMetadata → IR: promptTokenCount already includes cachedContentTokenCount (and tool-use prompt
 * tokens are counted on their own, so they are added); thoughts are output, reported apart too.
 */
export function geminiUsageToIr(metadata: unknown): IrUsage {
  const m = asRecord(metadata);
  const thoughts = asCount(m?.thoughtsTokenCount);
  const usage: IrUsage = {
    inputTokens: asCount(m?.promptTokenCount) + asCount(m?.toolUsePromptTokenCount),
    outputTokens: asCount(m?.candidatesTokenCount) + thoughts,
    cachedInputTokens: asCount(m?.cachedContentTokenCount),
  };
  if (thoughts > 0) usage.reasoningTokens = thoughts;
  return usage;
}

/** IR usage → usageMetadata: candidates exclude the thoughts, as Gemini counts them. */
export function irUsageToGemini(usage: IrUsage): Record<string, number> {
  const thoughts = usage.reasoningTokens ?? 0;
  const out: Record<string, number> = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - thoughts),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens > 0) out.cachedContentTokenCount = usage.cachedInputTokens;
  if (thoughts > 0) out.thoughtsTokenCount = thoughts;
  return out;
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

/** IR parts an answer can hold (model output images and the like have no IR part). */
export function answerParts(parts: IrPart[]): IrResponsePart[] {
  return parts.filter((p): p is IrResponsePart => p.type === 'text' || p.type === 'tool_call' || p.type === 'reasoning');
}

/** A GenerateContentResponse → IR; `newToolCallId` names calls that Gemini left without an id. */
export function geminiResponseToIr(body: unknown, newToolCallId: () => string): IrResponse {
  const root = asRecord(body);
  if (root === undefined || (root.candidates === undefined && root.promptFeedback === undefined)) {
    throw new AppError('UPSTREAM_ERROR', 'upstream answer has no candidates');
  }
  const { parts, finishReason } = candidateParts(root);
  const out = answerParts(geminiPartsToIr(parts, { newToolCallId }));
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
