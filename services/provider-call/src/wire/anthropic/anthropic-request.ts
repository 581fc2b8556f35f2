import type { DecodedRequest } from '../../adapters/client-codec.js';
import { uncarriedFields, validateBody } from '../../adapters/validate-body.js';
import type { IrMessage, IrPart, IrRequest, IrToolChoice } from '../../ir/chat-ir.js';
import { anthropicRequestSchema, type AnthropicMessage, type AnthropicRequest } from './anthropic-schema.js';

/** Request fields the IR carries; any other field the client set is reported as dropped. */
const CARRIED = new Set([
  'model', 'max_tokens', 'messages', 'system', 'tools', 'tool_choice', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'stream',
]);

const TOOL_CHOICE: Record<NonNullable<AnthropicRequest['tool_choice']>['type'], (name: string) => IrToolChoice> = {
  auto: () => ({ type: 'auto' }),
  any: () => ({ type: 'required' }),
  none: () => ({ type: 'none' }),
  tool: (name) => ({ type: 'tool', name }),
};

type ToolResultContent = Extract<Exclude<AnthropicMessage['content'], string>[number], { type: 'tool_result' }>['content'];

function toolResultText(content: ToolResultContent, dropped: Set<string>): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .flatMap((block) => {
      if (block.type === 'text') return [block.text];
      dropped.add(`tool_result.content.${block.name}`);
      return [];
    })
    .join('\n');
}

/** One Anthropic message → IR parts (string content is one text part). */
export function anthropicMessageToIr(message: AnthropicMessage, dropped: Set<string>): IrMessage {
  if (typeof message.content === 'string') return { role: message.role, parts: [{ type: 'text', text: message.content }] };
  const parts: IrPart[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: block.text });
        break;
      case 'image':
        parts.push({
          type: 'image',
          source:
            block.source.type === 'base64'
              ? { kind: 'base64', mediaType: block.source.media_type, data: block.source.data }
              : { kind: 'url', url: block.source.url },
        });
        break;
      case 'tool_use':
        parts.push({ type: 'tool_call', id: block.id, name: block.name, arguments: JSON.stringify(block.input) });
        break;
      case 'tool_result':
        parts.push({ type: 'tool_result', toolCallId: block.tool_use_id, content: toolResultText(block.content, dropped), isError: block.is_error === true });
        break;
      case 'unsupported':
        dropped.add(`messages.content.${block.name}`);
        break;
    }
  }
  return { role: message.role, parts };
}

/** Validates an Anthropic Messages body and maps it to the IR. */
export function anthropicRequestToIr(body: unknown, stream: boolean): DecodedRequest {
  const req = validateBody(anthropicRequestSchema, body);
  const dropped = new Set(uncarriedFields(req, CARRIED));
  const messages = req.messages.map((m) => anthropicMessageToIr(m, dropped));
  const tools: IrRequest['tools'] = [];
  for (const tool of req.tools ?? []) {
    if (tool.type === 'unsupported') {
      dropped.add(`tools.${tool.name}`);
      continue;
    }
    tools.push({ name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), parameters: tool.input_schema });
  }
  const ir: IrRequest = { messages, tools, stop: req.stop_sequences ?? [], stream, maxTokens: req.max_tokens, dropped: [] };
  const system = typeof req.system === 'string' ? req.system : req.system?.map((b) => b.text).join('\n');
  if (system !== undefined && system !== '') ir.system = system;
  if (req.tool_choice !== undefined) {
    ir.toolChoice = TOOL_CHOICE[req.tool_choice.type]('name' in req.tool_choice ? String(req.tool_choice.name) : '');
    if ('disable_parallel_tool_use' in req.tool_choice && req.tool_choice.disable_parallel_tool_use === true) {
      dropped.add('tool_choice.disable_parallel_tool_use');
    }
  }
  if (req.temperature !== undefined) ir.temperature = req.temperature;
  if (req.top_p !== undefined) ir.topP = req.top_p;
  if (req.top_k !== undefined) ir.topK = req.top_k;
  ir.dropped = [...dropped];
  return { ir, streamUsage: true };
}
