import { newResponsesId } from '@aigw/formats';
import type { EncodeContext } from '../../adapters/client-codec.js';
import type { IrResponse } from '../../ir/chat-ir.js';
import { responsesAnswerOf, type ResponsesAnswerContext } from './responses-answer-context.js';
import {
  clientToolName,
  endOf,
  messageItem,
  reasoningItem,
  redactedReasoningItem,
  responseObject,
  toolCallItem,
  type ItemStatus,
} from './responses-output.js';

// IR answer → a whole Responses API response object.

/**
 * The answer's parts as output items in their order: each reasoning block a reasoning item, each run of
 * text one assistant message (structured output included: its JSON is the message's output_text), each
 * tool call a function_call (or custom_tool_call) item. `status` is every message's (incomplete when cut).
 */
export function outputItems(parts: IrResponse['parts'], answer: ResponsesAnswerContext, status: ItemStatus): Array<Record<string, unknown>> {
  const items: Array<Record<string, unknown>> = [];
  let text: string | undefined;
  const flushText = () => {
    if (text !== undefined) items.push(messageItem(newResponsesId('msg'), status, text));
    text = undefined;
  };
  for (const part of parts) {
    if (part.type === 'text') {
      text = (text ?? '') + part.text;
      continue;
    }
    flushText();
    switch (part.type) {
      case 'reasoning':
        if (part.text !== '' || (part.signature !== undefined && part.signature !== '')) items.push(reasoningItem(newResponsesId('rs'), part.text, part.signature));
        break;
      case 'redacted_reasoning':
        items.push(redactedReasoningItem(newResponsesId('rs'), part.data));
        break;
      case 'tool_call': {
        const tool = clientToolName(part.name, answer);
        items.push(toolCallItem(newResponsesId(tool.custom ? 'ctc' : 'fc'), part.id, tool, part.arguments, 'completed'));
        break;
      }
    }
  }
  flushText();
  return items;
}

/** IR answer → the response object, named by the id ingress chose (a new one when it chose none). */
export function irToResponsesResponse(response: IrResponse, ctx: EncodeContext): Record<string, unknown> {
  const answer = responsesAnswerOf(ctx);
  const end = endOf(response.stopReason);
  return responseObject(
    {
      id: ctx.responseId || newResponsesId('resp'),
      createdAt: Math.floor(Date.now() / 1000),
      status: end.status,
      model: response.model ?? ctx.model,
      output: outputItems(response.parts, answer, end.status === 'completed' ? 'completed' : 'incomplete'),
      usage: response.usage,
      incompleteDetails: end.incompleteDetails,
    },
    answer,
  );
}
