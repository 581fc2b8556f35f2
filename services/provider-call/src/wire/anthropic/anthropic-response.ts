import type { EncodeContext } from '../../adapters/client-codec.js';
import type { IrResponse, IrStopReason, IrUsage } from '../../ir/chat-ir.js';
import { toolArgumentsObject } from '../../ir/tool-arguments.js';

/** IR stop reason → Anthropic stop_reason. */
export const IR_TO_STOP_REASON: Readonly<Record<IrStopReason, string>> = {
  end_turn: 'end_turn',
  stop_sequence: 'stop_sequence',
  max_tokens: 'max_tokens',
  tool_use: 'tool_use',
  content_filter: 'refusal',
};

/** IR usage → Anthropic usage: input_tokens excludes the cached part, which is reported on its own. */
export function irUsageToAnthropic(usage: IrUsage): Record<string, number> {
  return {
    input_tokens: usage.inputTokens - usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    cache_creation_input_tokens: 0,
  };
}

/** IR → a Messages API `message` body. */
export function irToAnthropicResponse(response: IrResponse, ctx: EncodeContext): Record<string, unknown> {
  const content = response.parts.map((part) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'tool_use', id: part.id, name: part.name, input: toolArgumentsObject(part.arguments) },
  );
  return {
    id: `msg_${ctx.requestId}`,
    type: 'message',
    role: 'assistant',
    model: response.model ?? ctx.model,
    content,
    stop_reason: IR_TO_STOP_REASON[response.stopReason],
    stop_sequence: null,
    usage: irUsageToAnthropic(response.usage),
  };
}
