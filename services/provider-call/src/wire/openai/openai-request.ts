import type { DecodedRequest } from '../../adapters/client-codec.js';
import { uncarriedFields, validateBody } from '@aigw/formats';
import type { IrImageSource, IrMessage, IrPart, IrRequest, IrThinking, IrToolChoice } from '../../ir/chat-ir.js';
import { responseFormatToIr } from './openai-response-format.js';
import { openAiRequestSchema, type OpenAiMessage, type OpenAiRequest } from '@aigw/formats';

// OpenAI Chat Completions request (client side) → IR.

/** Request fields the IR carries; any other field the client set is reported as dropped. */
const CARRIED = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'temperature', 'top_p', 'max_tokens', 'max_completion_tokens',
  'stop', 'stream', 'stream_options', 'n', 'reasoning_effort', 'parallel_tool_calls', 'user', 'response_format',
]);

/** Message fields carried, per role; others are reported as `messages.<field>`. */
const MESSAGE_FIELDS: Readonly<Record<OpenAiMessage['role'], ReadonlySet<string>>> = {
  system: new Set(['role', 'content']),
  developer: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_calls', 'reasoning_content', 'refusal']),
  tool: new Set(['role', 'content', 'tool_call_id']),
};

const PART_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  text: new Set(['type', 'text']),
  image_url: new Set(['type', 'image_url']),
};

type TextContent = Extract<OpenAiMessage, { role: 'tool' }>['content'];
type UserContent = Extract<OpenAiMessage, { role: 'user' }>['content'];
type Part = Exclude<UserContent, string>[number];

/** `data:<mime>;base64,<data>` → base64 source; any other URL stays a URL. */
export function imageSourceFromUrl(url: string): IrImageSource {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match ? { kind: 'base64', mediaType: match[1] as string, data: match[2] as string } : { kind: 'url', url };
}

function notePartFields(part: Part, dropped: Set<string>): void {
  if (part.type === 'unsupported') {
    dropped.add(`messages.content.${part.name}`);
    return;
  }
  for (const key of uncarriedFields(part, PART_FIELDS[part.type] ?? new Set())) dropped.add(`messages.content.${key}`);
  if (part.type === 'image_url' && part.image_url.detail !== undefined && part.image_url.detail !== 'auto') dropped.add('messages.content.image_url.detail');
}

function textOf(content: TextContent | null | undefined, dropped: Set<string>): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) {
    notePartFields(part, dropped);
    if (part.type === 'text') texts.push(part.text);
  }
  return texts.join('\n');
}

function userParts(content: UserContent, dropped: Set<string>): IrPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts: IrPart[] = [];
  for (const part of content) {
    notePartFields(part, dropped);
    if (part.type === 'text') parts.push({ type: 'text', text: part.text });
    else if (part.type === 'image_url') parts.push({ type: 'image', source: imageSourceFromUrl(part.image_url.url) });
  }
  return parts;
}

function assistantParts(message: Extract<OpenAiMessage, { role: 'assistant' }>, dropped: Set<string>): IrPart[] {
  const parts: IrPart[] = [];
  if (message.reasoning_content) parts.push({ type: 'reasoning', text: message.reasoning_content });
  const text = textOf(message.content, dropped);
  if (text !== '') parts.push({ type: 'text', text });
  for (const call of message.tool_calls ?? []) {
    const signature = call.extra_content?.google?.thought_signature;
    if (signature !== undefined && signature !== '') parts.push({ type: 'reasoning', text: '', signature });
    parts.push({ type: 'tool_call', id: call.id, name: call.function.name, arguments: call.function.arguments });
  }
  return parts;
}

function toolChoiceOf(choice: NonNullable<OpenAiRequest['tool_choice']>): IrToolChoice {
  if (typeof choice !== 'string') return { type: 'tool', name: choice.function.name };
  return { type: choice };
}

/** reasoning_effort → IR thinking ('none' turns reasoning off). */
export function thinkingOfEffort(effort: NonNullable<OpenAiRequest['reasoning_effort']>): IrThinking {
  return effort === 'none' ? { enabled: false } : { enabled: true, effort };
}

/**
 * Maps one OpenAI message into IR messages; parallel tool results join one user turn. System (and
 * developer) messages before the first other message are the system prompt; later ones stay where
 * they are, as IR system messages.
 */
function appendMessage(messages: IrMessage[], system: string[], message: OpenAiMessage, dropped: Set<string>): void {
  for (const key of uncarriedFields(message, MESSAGE_FIELDS[message.role])) dropped.add(`messages.${key}`);
  switch (message.role) {
    case 'system':
    case 'developer': {
      const text = textOf(message.content, dropped);
      if (messages.length === 0) system.push(text);
      else if (text !== '') messages.push({ role: 'system', parts: [{ type: 'text', text }] });
      return;
    }
    case 'user':
      messages.push({ role: 'user', parts: userParts(message.content, dropped) });
      return;
    case 'assistant': {
      const parts = assistantParts(message, dropped);
      if (parts.length > 0) messages.push({ role: 'assistant', parts });
      return;
    }
    case 'tool': {
      const result: IrPart = { type: 'tool_result', toolCallId: message.tool_call_id, content: textOf(message.content, dropped), isError: false };
      const last = messages.at(-1);
      if (last?.role === 'user' && last.parts.every((p) => p.type === 'tool_result')) last.parts.push(result);
      else messages.push({ role: 'user', parts: [result] });
      return;
    }
  }
}

/** Validates an OpenAI Chat Completions body and maps it to the IR. */
export function openAiRequestToIr(body: unknown, stream: boolean): DecodedRequest {
  const req = validateBody(openAiRequestSchema, body);
  const dropped = new Set(uncarriedFields(req, CARRIED));
  if (req.n !== null && req.n !== undefined && req.n > 1) dropped.add('n');
  const system: string[] = [];
  const messages: IrMessage[] = [];
  for (const message of req.messages) appendMessage(messages, system, message, dropped);

  const ir: IrRequest = {
    messages,
    tools: (req.tools ?? []).map((t) => {
      if (t.function.strict === true) dropped.add('tools.function.strict');
      return {
        name: t.function.name,
        ...(t.function.description === undefined ? {} : { description: t.function.description }),
        parameters: t.function.parameters ?? { type: 'object', properties: {} },
      };
    }),
    stop: req.stop === null || req.stop === undefined ? [] : typeof req.stop === 'string' ? [req.stop] : req.stop,
    stream,
    dropped: [],
  };
  if (system.length > 0) ir.system = system.join('\n\n');
  if (req.tool_choice !== null && req.tool_choice !== undefined) ir.toolChoice = toolChoiceOf(req.tool_choice);
  if (req.parallel_tool_calls !== null && req.parallel_tool_calls !== undefined) ir.parallelToolCalls = req.parallel_tool_calls;
  if (req.reasoning_effort !== null && req.reasoning_effort !== undefined) ir.thinking = thinkingOfEffort(req.reasoning_effort);
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens !== null && maxTokens !== undefined) ir.maxTokens = maxTokens;
  if (req.temperature !== null && req.temperature !== undefined) ir.temperature = req.temperature;
  if (req.top_p !== null && req.top_p !== undefined) ir.topP = req.top_p;
  if (typeof req.user === 'string' && req.user !== '') ir.user = { id: req.user, field: 'user' };
  const responseFormat = req.response_format === null || req.response_format === undefined ? undefined : responseFormatToIr(req.response_format, dropped);
  if (responseFormat !== undefined) ir.responseFormat = responseFormat;
  ir.dropped = [...dropped];
  return { ir, streamUsage: req.stream_options?.include_usage === true };
}
