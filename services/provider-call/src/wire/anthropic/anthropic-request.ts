import type { DecodedRequest } from '../../adapters/client-codec.js';
import { uncarriedFields, validateBody } from '@aigw/formats';
import type { IrImageSource, IrMessage, IrPart, IrRequest, IrThinking, IrToolChoice } from '../../ir/chat-ir.js';
import { outputFormatToIr } from './anthropic-output-format.js';
import { anthropicRequestSchema, ANTHROPIC_BLOCK_FIELDS as BLOCK_FIELDS, type AnthropicBlock, type AnthropicMessage, type AnthropicRequest } from '@aigw/formats';

// Anthropic Messages request (client side) → IR.

/** Request fields the IR carries; any other field the client set is reported as dropped. */
const CARRIED = new Set([
  'model', 'max_tokens', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'temperature', 'top_p', 'top_k',
  'stop_sequences', 'stream', 'metadata', 'output_config', 'output_format',
]);
const TOOL_FIELDS = new Set(['type', 'name', 'description', 'input_schema']);

const TOOL_CHOICE: Record<NonNullable<AnthropicRequest['tool_choice']>['type'], (name: string) => IrToolChoice> = {
  auto: () => ({ type: 'auto' }),
  any: () => ({ type: 'required' }),
  none: () => ({ type: 'none' }),
  tool: (name) => ({ type: 'tool', name }),
};

type ImageBlock = Extract<AnthropicBlock, { type: 'image' }>;
type ToolResultContent = Extract<AnthropicBlock, { type: 'tool_result' }>['content'];

function imageSource(block: ImageBlock): IrImageSource {
  return block.source.type === 'base64'
    ? { kind: 'base64', mediaType: block.source.media_type, data: block.source.data }
    : { kind: 'url', url: block.source.url };
}

/** A tool result's content → its text (text blocks joined) and its images; other blocks are reported. */
export function toolResultToIr(content: ToolResultContent, dropped: Set<string>): { content: string; images?: IrImageSource[] } {
  if (content === undefined) return { content: '' };
  if (typeof content === 'string') return { content };
  const texts: string[] = [];
  const images: IrImageSource[] = [];
  for (const block of content) {
    if (block.type === 'unsupported') {
      dropped.add(`tool_result.content.${block.name}`);
      continue;
    }
    for (const key of uncarriedFields(block, BLOCK_FIELDS[block.type] ?? new Set())) dropped.add(`tool_result.content.${key}`);
    if (block.type === 'text') texts.push(block.text);
    else images.push(imageSource(block));
  }
  return images.length > 0 ? { content: texts.join('\n'), images } : { content: texts.join('\n') };
}

/** One content block → an IR part, or undefined when the IR has no place for it (reported). */
function blockToIr(block: AnthropicBlock, dropped: Set<string>): IrPart | undefined {
  if (block.type === 'unsupported') {
    dropped.add(`messages.content.${block.name}`);
    return undefined;
  }
  for (const key of uncarriedFields(block, BLOCK_FIELDS[block.type] ?? new Set())) dropped.add(`messages.content.${key}`);
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image', source: imageSource(block) };
    case 'tool_use':
      return { type: 'tool_call', id: block.id, name: block.name, arguments: JSON.stringify(block.input) };
    case 'tool_result':
      return { type: 'tool_result', toolCallId: block.tool_use_id, ...toolResultToIr(block.content, dropped), isError: block.is_error === true };
    case 'thinking':
      return block.signature ? { type: 'reasoning', text: block.thinking, signature: block.signature } : { type: 'reasoning', text: block.thinking };
    case 'redacted_thinking':
      return { type: 'redacted_reasoning', data: block.data };
  }
}

/**
 * One Anthropic message → IR parts (string content is one text part). A system message keeps its
 * text only (Anthropic allows text and tool changes there; the latter are reported).
 */
export function anthropicMessageToIr(message: AnthropicMessage, dropped: Set<string>): IrMessage {
  for (const key of uncarriedFields(message, new Set(['role', 'content']))) dropped.add(`messages.${key}`);
  if (typeof message.content === 'string') return { role: message.role, parts: [{ type: 'text', text: message.content }] };
  const parts: IrPart[] = [];
  for (const block of message.content) {
    if (message.role === 'system' && block.type !== 'text') {
      dropped.add(`messages.system.content.${block.type === 'unsupported' ? block.name : block.type}`);
      continue;
    }
    const part = blockToIr(block, dropped);
    if (part !== undefined) parts.push(part);
  }
  return { role: message.role, parts };
}

/** metadata → the IR's end-user id; other metadata keys have no place (reported). */
export function metadataToIr(metadata: AnthropicRequest['metadata'], ir: IrRequest, dropped: Set<string>): void {
  if (metadata === null || metadata === undefined) return;
  for (const key of uncarriedFields(metadata, new Set(['user_id']))) dropped.add(`metadata.${key}`);
  if (typeof metadata.user_id === 'string' && metadata.user_id !== '') ir.user = { id: metadata.user_id, field: 'metadata.user_id' };
}

/** The `thinking` request field → IR (adaptive means on, at the model's own budget). */
export function thinkingToIr(thinking: NonNullable<AnthropicRequest['thinking']>): IrThinking {
  if (thinking.type === 'disabled') return { enabled: false };
  return thinking.type === 'enabled' && thinking.budget_tokens !== undefined ? { enabled: true, budgetTokens: thinking.budget_tokens } : { enabled: true };
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
    for (const key of uncarriedFields(tool, TOOL_FIELDS)) dropped.add(`tools.${key}`);
    tools.push({ name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), parameters: tool.input_schema });
  }
  const ir: IrRequest = { messages, tools, stop: req.stop_sequences ?? [], stream, maxTokens: req.max_tokens, dropped: [] };
  if (typeof req.system === 'string') {
    if (req.system !== '') ir.system = req.system;
  } else if (req.system !== undefined) {
    for (const block of req.system) for (const key of uncarriedFields(block, BLOCK_FIELDS.text as ReadonlySet<string>)) dropped.add(`system.${key}`);
    const system = req.system.map((b) => b.text).join('\n');
    if (system !== '') ir.system = system;
  }
  if (req.tool_choice !== undefined) {
    ir.toolChoice = TOOL_CHOICE[req.tool_choice.type]('name' in req.tool_choice ? String(req.tool_choice.name) : '');
    if ('disable_parallel_tool_use' in req.tool_choice && req.tool_choice.disable_parallel_tool_use === true) ir.parallelToolCalls = false;
  }
  if (req.thinking !== undefined) ir.thinking = thinkingToIr(req.thinking);
  if (req.temperature !== undefined) ir.temperature = req.temperature;
  if (req.top_p !== undefined) ir.topP = req.top_p;
  if (req.top_k !== undefined) ir.topK = req.top_k;
  metadataToIr(req.metadata, ir, dropped);
  const responseFormat = outputFormatToIr(req.output_config, req.output_format, dropped);
  if (responseFormat !== undefined) ir.responseFormat = responseFormat;
  ir.dropped = [...dropped];
  return { ir, streamUsage: true };
}
