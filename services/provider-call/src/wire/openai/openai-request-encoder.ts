import type { IrImageSource, IrPart, IrRequest, IrToolChoice } from '../../ir/chat-ir.js';
import { thinkingEffort } from '../../ir/thinking-budget.js';
import { irToOpenAiResponseFormat, JSON_MODE_NOTE, mentionsJson } from './openai-response-format.js';

// IR → an OpenAI Chat Completions request for an OpenAI-compatible upstream.

function imageUrl(source: IrImageSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

/**
 * IR user turn → OpenAI messages: tool results become `tool` messages, the rest one user message. A
 * `tool` message holds text only, so images a tool returned follow in that user message (reported).
 */
function userMessages(parts: IrPart[], dropped: Set<string>): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const content: Array<Record<string, unknown>> = [];
  for (const part of parts) {
    if (part.type === 'tool_result') {
      if (part.isError) dropped.add('tool_result.is_error');
      out.push({ role: 'tool', tool_call_id: part.toolCallId, content: part.content });
      for (const image of part.images ?? []) content.push({ type: 'image_url', image_url: { url: imageUrl(image) } });
      if (part.images !== undefined && part.images.length > 0) dropped.add('tool_result.image:user_message');
    } else if (part.type === 'text') content.push({ type: 'text', text: part.text });
    else if (part.type === 'image') content.push({ type: 'image_url', image_url: { url: imageUrl(part.source) } });
    else dropped.add(`user.${part.type}`);
  }
  if (content.length === 1 && content[0]?.type === 'text') out.push({ role: 'user', content: content[0].text });
  else if (content.length > 0) out.push({ role: 'user', content });
  return out;
}

/**
 * IR assistant turn → one assistant message. Unsigned reasoning becomes `reasoning_content`; a
 * signature standing for the next tool call rides on it as Google's `extra_content`; other
 * signatures and redacted reasoning have no place here.
 */
export function assistantMessage(parts: IrPart[], dropped: Set<string>): Record<string, unknown> {
  let text = '';
  let reasoning = '';
  const calls: Array<Record<string, unknown>> = [];
  parts.forEach((part, i) => {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') {
      reasoning += part.text;
      const next = parts[i + 1];
      const forNextCall = part.text === '' && next?.type === 'tool_call';
      if (part.signature !== undefined && part.signature !== '' && !forNextCall) dropped.add('thinking.signature');
    } else if (part.type === 'tool_call') {
      const call: Record<string, unknown> = { id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } };
      const before = parts[i - 1];
      if (before?.type === 'reasoning' && before.text === '' && before.signature) {
        call.extra_content = { google: { thought_signature: before.signature } };
      }
      calls.push(call);
    } else dropped.add(part.type === 'redacted_reasoning' ? 'redacted_thinking' : `assistant.${part.type}`);
  });
  const message: Record<string, unknown> = { role: 'assistant', content: text === '' && calls.length > 0 ? null : text };
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

/** The text of a system message's parts. */
function textOf(parts: readonly IrPart[]): string {
  return parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
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
  const jsonModeNote = ir.responseFormat?.type === 'json_object' && !mentionsJson(ir);
  if (ir.system !== undefined) messages.push({ role: 'system', content: jsonModeNote ? `${ir.system}\n\n${JSON_MODE_NOTE}` : ir.system });
  else if (jsonModeNote) messages.push({ role: 'system', content: JSON_MODE_NOTE });
  for (const message of ir.messages) {
    if (message.role === 'user') messages.push(...userMessages(message.parts, dropped));
    else if (message.role === 'system') messages.push({ role: 'system', content: textOf(message.parts) });
    else messages.push(assistantMessage(message.parts, dropped));
  }
  const body: Record<string, unknown> = { model, messages };
  if (ir.user !== undefined) body.user = ir.user.id;
  if (ir.tools.length > 0) {
    body.tools = ir.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters: t.parameters },
    }));
    if (ir.parallelToolCalls !== undefined) body.parallel_tool_calls = ir.parallelToolCalls;
  }
  if (ir.toolChoice !== undefined) body.tool_choice = TOOL_CHOICE[ir.toolChoice.type](ir.toolChoice);
  if (ir.maxTokens !== undefined) body.max_tokens = ir.maxTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.topK !== undefined) dropped.add('top_k');
  if (ir.stop.length > 0) body.stop = ir.stop;
  if (ir.responseFormat !== undefined) body.response_format = irToOpenAiResponseFormat(ir.responseFormat);
  if (ir.thinking?.enabled === true) {
    const effort = thinkingEffort(ir.thinking);
    if (effort !== undefined) body.reasoning_effort = effort;
  } else if (ir.thinking?.enabled === false) {
    // OpenAI-compatible servers have no common way to turn reasoning off ('none' is OpenAI's alone).
    dropped.add('thinking:disabled');
  }
  if (ir.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return { body, dropped: [...dropped] };
}
