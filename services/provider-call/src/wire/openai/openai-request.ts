import type { DecodedRequest } from '../../adapters/client-codec.js';
import { uncarriedFields, validateBody } from '../../adapters/validate-body.js';
import type { IrImageSource, IrMessage, IrPart, IrRequest, IrToolChoice } from '../../ir/chat-ir.js';
import { openAiRequestSchema, type OpenAiMessage, type OpenAiRequest } from './openai-schema.js';

/** Request fields the IR carries; any other field the client set is reported as dropped. */
const CARRIED = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'temperature', 'top_p', 'max_tokens',
  'max_completion_tokens', 'stop', 'stream', 'stream_options', 'n',
]);

type TextContent = Extract<OpenAiMessage, { role: 'tool' }>['content'];
type UserContent = Extract<OpenAiMessage, { role: 'user' }>['content'];

/** `data:<mime>;base64,<data>` → base64 source; any other URL stays a URL. */
export function imageSourceFromUrl(url: string): IrImageSource {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match ? { kind: 'base64', mediaType: match[1] as string, data: match[2] as string } : { kind: 'url', url };
}

function textOf(content: TextContent | null | undefined, dropped: Set<string>): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) {
    if (part.type === 'text') texts.push(part.text);
    else dropped.add(`messages.content.${part.name}`);
  }
  return texts.join('\n');
}

function userParts(content: UserContent, dropped: Set<string>): IrPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts: IrPart[] = [];
  for (const part of content) {
    if (part.type === 'text') parts.push({ type: 'text', text: part.text });
    else if (part.type === 'image_url') parts.push({ type: 'image', source: imageSourceFromUrl(part.image_url.url) });
    else dropped.add(`messages.content.${part.name}`);
  }
  return parts;
}

function toolChoiceOf(choice: NonNullable<OpenAiRequest['tool_choice']>): IrToolChoice {
  if (typeof choice !== 'string') return { type: 'tool', name: choice.function.name };
  return { type: choice };
}

/** Maps one OpenAI message into IR messages; parallel tool results join one user turn. */
function appendMessage(messages: IrMessage[], system: string[], message: OpenAiMessage, dropped: Set<string>): void {
  if ('name' in message && message.name !== undefined) dropped.add('messages.name');
  switch (message.role) {
    case 'system':
    case 'developer':
      system.push(textOf(message.content, dropped));
      return;
    case 'user':
      messages.push({ role: 'user', parts: userParts(message.content, dropped) });
      return;
    case 'assistant': {
      const text = textOf(message.content, dropped);
      const parts: IrPart[] = text === '' ? [] : [{ type: 'text', text }];
      for (const call of message.tool_calls ?? []) {
        parts.push({ type: 'tool_call', id: call.id, name: call.function.name, arguments: call.function.arguments });
      }
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
    tools: (req.tools ?? []).map((t) => ({
      name: t.function.name,
      ...(t.function.description === undefined ? {} : { description: t.function.description }),
      parameters: t.function.parameters ?? { type: 'object', properties: {} },
    })),
    stop: req.stop === null || req.stop === undefined ? [] : typeof req.stop === 'string' ? [req.stop] : req.stop,
    stream,
    dropped: [],
  };
  if (system.length > 0) ir.system = system.join('\n\n');
  if (req.tool_choice !== null && req.tool_choice !== undefined) ir.toolChoice = toolChoiceOf(req.tool_choice);
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens !== null && maxTokens !== undefined) ir.maxTokens = maxTokens;
  if (req.temperature !== null && req.temperature !== undefined) ir.temperature = req.temperature;
  if (req.top_p !== null && req.top_p !== undefined) ir.topP = req.top_p;
  ir.dropped = [...dropped];
  return { ir, streamUsage: req.stream_options?.include_usage === true };
}

function imageUrl(source: IrImageSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

/** IR user turn → OpenAI messages: tool results become `tool` messages, the rest one user message. */
function userMessages(parts: IrPart[], dropped: Set<string>): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const content: Array<Record<string, unknown>> = [];
  for (const part of parts) {
    if (part.type === 'tool_result') {
      if (part.isError) dropped.add('tool_result.is_error');
      out.push({ role: 'tool', tool_call_id: part.toolCallId, content: part.content });
    } else if (part.type === 'text') content.push({ type: 'text', text: part.text });
    else if (part.type === 'image') content.push({ type: 'image_url', image_url: { url: imageUrl(part.source) } });
  }
  if (content.length === 1 && content[0]?.type === 'text') out.push({ role: 'user', content: content[0].text });
  else if (content.length > 0) out.push({ role: 'user', content });
  return out;
}

function assistantMessage(parts: IrPart[]): Record<string, unknown> {
  const text = parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
  const calls = parts.flatMap((p) =>
    p.type === 'tool_call' ? [{ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } }] : [],
  );
  return { role: 'assistant', content: text === '' && calls.length > 0 ? null : text, ...(calls.length > 0 ? { tool_calls: calls } : {}) };
}

const TOOL_CHOICE: Record<IrToolChoice['type'], (c: IrToolChoice) => unknown> = {
  auto: () => 'auto',
  none: () => 'none',
  required: () => 'required',
  tool: (c) => ({ type: 'function', function: { name: (c as { name: string }).name } }),
};

/** IR → Chat Completions body for `model`; `dropped` lists IR fields OpenAI cannot carry. */
export function irToOpenAiRequest(ir: IrRequest, model: string): { body: Record<string, unknown>; dropped: string[] } {
  const dropped = new Set<string>();
  const messages: Array<Record<string, unknown>> = [];
  if (ir.system !== undefined) messages.push({ role: 'system', content: ir.system });
  for (const message of ir.messages) {
    if (message.role === 'user') messages.push(...userMessages(message.parts, dropped));
    else messages.push(assistantMessage(message.parts));
  }
  const body: Record<string, unknown> = { model, messages };
  if (ir.tools.length > 0) {
    body.tools = ir.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters: t.parameters },
    }));
  }
  if (ir.toolChoice !== undefined) body.tool_choice = TOOL_CHOICE[ir.toolChoice.type](ir.toolChoice);
  if (ir.maxTokens !== undefined) body.max_tokens = ir.maxTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.topK !== undefined) dropped.add('top_k');
  if (ir.stop.length > 0) body.stop = ir.stop;
  if (ir.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return { body, dropped: [...dropped] };
}
