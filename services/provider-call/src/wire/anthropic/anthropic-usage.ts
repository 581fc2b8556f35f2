import type { IrStopReason, IrUsage } from '../../ir/chat-ir.js';
import { asCount, asRecord } from '../../ir/json-shape.js';

// Anthropic counts the prompt in three disjoint parts: input_tokens (after the last cache
// breakpoint), cache_read_input_tokens and cache_creation_input_tokens. The IR (and the proto) count
// the whole prompt in inputTokens, with the cache reads as a part of it.

/** Anthropic usage → IR: the three prompt parts summed; cache reads are the cached part. */
export function anthropicUsageToIr(usage: unknown): IrUsage {
  const u = asRecord(usage);
  const cached = asCount(u?.cache_read_input_tokens);
  const written = asCount(u?.cache_creation_input_tokens);
  return {
    inputTokens: asCount(u?.input_tokens) + cached + written,
    outputTokens: asCount(u?.output_tokens),
    cachedInputTokens: cached,
    // Kept apart so that it is priced as a cache write (@aigw/pricing); still a part of inputTokens.
    ...(written > 0 ? { cacheWriteTokens: written } : {}),
  };
}

/** IR usage → Anthropic usage: input_tokens excludes the cached part, which is reported on its own. */
export function irUsageToAnthropic(usage: IrUsage): Record<string, number> {
  const written = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - written),
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    cache_creation_input_tokens: written,
  };
}

/** IR stop reason → Anthropic stop_reason. */
export const IR_TO_STOP_REASON: Readonly<Record<IrStopReason, string>> = {
  end_turn: 'end_turn',
  stop_sequence: 'stop_sequence',
  max_tokens: 'max_tokens',
  tool_use: 'tool_use',
  content_filter: 'refusal',
};

/** Anthropic stop_reason → IR stop reason (unknown reasons end the turn). */
export const STOP_REASON_TO_IR: Readonly<Record<string, IrStopReason>> = {
  end_turn: 'end_turn',
  stop_sequence: 'stop_sequence',
  max_tokens: 'max_tokens',
  model_context_window_exceeded: 'max_tokens',
  tool_use: 'tool_use',
  refusal: 'content_filter',
  pause_turn: 'end_turn',
};
