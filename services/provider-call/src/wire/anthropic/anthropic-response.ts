import type { EncodeContext } from '../../adapters/client-codec.js';
import type { IrResponse, IrResponsePart } from '../../ir/chat-ir.js';
import { toolArgumentsObject } from '../../ir/tool-arguments.js';
import { IR_TO_STOP_REASON, irUsageToAnthropic } from './anthropic-usage.js';

export { IR_TO_STOP_REASON, irUsageToAnthropic } from './anthropic-usage.js';

/** One IR answer part → a Messages API content block. */
export function anthropicContentBlock(part: IrResponsePart): Record<string, unknown> {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'reasoning':
      return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
    case 'redacted_reasoning':
      return { type: 'redacted_thinking', data: part.data };
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: toolArgumentsObject(part.arguments) };
  }
}

/** IR → a Messages API `message` body. */
export function irToAnthropicResponse(response: IrResponse, ctx: EncodeContext): Record<string, unknown> {
  return {
    id: `msg_${ctx.requestId}`,
    type: 'message',
    role: 'assistant',
    model: response.model ?? ctx.model,
    content: response.parts.map(anthropicContentBlock),
    stop_reason: IR_TO_STOP_REASON[response.stopReason],
    stop_sequence: response.stopSequence ?? null,
    usage: irUsageToAnthropic(response.usage),
  };
}
