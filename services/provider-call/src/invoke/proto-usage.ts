import type { Usage } from '@aigw/proto';
import type { IrUsage } from '../ir/chat-ir.js';

/** The proto Usage of IR usage (the proto has no reasoning count; it stays inside output_tokens). */
export function protoUsage(usage: IrUsage): Usage {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    ...(usage.cacheWriteTokens ? { cacheWriteInputTokens: usage.cacheWriteTokens } : {}),
  };
}
