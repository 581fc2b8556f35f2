import type { Usage } from '@aigw/proto';
import type { IrUsage } from '../ir/chat-ir.js';

/** The proto Usage of IR usage (reasoning tokens are a part of output_tokens there too). */
export function protoUsage(usage: IrUsage): Usage {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    ...(usage.cacheWriteTokens ? { cacheWriteInputTokens: usage.cacheWriteTokens } : {}),
    ...(usage.reasoningTokens ? { reasoningOutputTokens: usage.reasoningTokens } : {}),
  };
}
