import type { EncodeContext } from '../../adapters/client-codec.js';
import type { IrResponse, IrStopReason } from '../../ir/chat-ir.js';
import { irPartsToGemini } from './gemini-parts.js';
import { irUsageToGemini } from './gemini-response.js';

// IR → a GenerateContentResponse for clients speaking the Gemini API.

/** IR stop reason → Gemini finishReason (Gemini ends tool calls with STOP too). */
export const IR_TO_FINISH_REASON: Readonly<Record<IrStopReason, string>> = {
  end_turn: 'STOP',
  stop_sequence: 'STOP',
  tool_use: 'STOP',
  max_tokens: 'MAX_TOKENS',
  content_filter: 'SAFETY',
};

/** IR → a whole GenerateContentResponse body. */
export function irToGeminiResponse(response: IrResponse, ctx: EncodeContext): Record<string, unknown> {
  const parts = irPartsToGemini(response.parts, { keepUnsigned: true, dropped: new Set(), toolNames: new Map() });
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: IR_TO_FINISH_REASON[response.stopReason], index: 0 }],
    usageMetadata: irUsageToGemini(response.usage),
    modelVersion: response.model ?? ctx.model,
    responseId: ctx.requestId,
  };
}
