import type { IrImageSource, IrPart, IrRequest, IrToolChoice } from '../../ir/chat-ir.js';
import type { JsonRecord } from '../../ir/json-shape.js';
import { thinkingEffort } from '../../ir/thinking-budget.js';
import { irToOpenAiResponseFormat, JSON_MODE_NOTE, mentionsJson } from '../openai/openai-response-format.js';

// IR → a Responses API request (`POST {base}/responses`) for an upstream that speaks it. The request is
// stateless: `store: false`, and the reasoning comes back encrypted (`include`), so a later turn hands it
// back as a reasoning item with `encrypted_content` (the IR carries it as the reasoning part's signature)
// instead of naming a response the upstream kept. `include` is asked only where reasoning is (the client asked
// for it, the conversation hands reasoning back, or the model reasons anyway): OpenAI refuses it for a model
// that does not reason ("Encrypted content is not supported with this model.", param include).

/**
 * Whether an OpenAI model reasons whether asked or not, by name, as the official SDKs tell (the AI SDK's
 * rule): the o-series and GPT-5 and later, except the non-reasoning `gpt-5-chat` snapshots.
 */
export function reasonsByDefault(model: string): boolean {
  if (/^o\d+(?:-|$)/.test(model)) return true;
  const gpt = /^gpt-(\d+)(?:\.(\d+))?(?:-(.+))?$/.exec(model);
  if (gpt === null || Number(gpt[1]) < 5) return false;
  return !(gpt[2] === undefined && (gpt[3] ?? '').startsWith('chat'));
}

/**
 * Whether a signature is OpenAI's encrypted reasoning (a Fernet token: version byte 0x80, so "gAAAAA" in
 * base64). Anthropic's and Google's signatures are not, and OpenAI refuses what it cannot decrypt.
 */
export function isOpenAiEncryptedReasoning(signature: string): boolean {
  return signature.startsWith('gAAAAA');
}

function imageUrl(source: IrImageSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

const inputImage = (source: IrImageSource): JsonRecord => ({ type: 'input_image', image_url: imageUrl(source), detail: 'auto' });

/** A function result: text, or text and images as content parts (a screenshot a tool returned). */
function toolOutput(content: string, images: readonly IrImageSource[] | undefined): unknown {
  if (images === undefined || images.length === 0) return content;
  return [...(content === '' ? [] : [{ type: 'input_text', text: content }]), ...images.map(inputImage)];
}

/** IR user turn → items: consecutive text and images form one user message; each tool result is a function_call_output. */
function userItems(parts: readonly IrPart[], dropped: Set<string>): JsonRecord[] {
  const items: JsonRecord[] = [];
  let content: JsonRecord[] = [];
  const flush = () => {
    if (content.length > 0) items.push({ type: 'message', role: 'user', content });
    content = [];
  };
  for (const part of parts) {
    if (part.type === 'text') content.push({ type: 'input_text', text: part.text });
    else if (part.type === 'image') content.push(inputImage(part.source));
    else if (part.type === 'tool_result') {
      flush();
      if (part.isError) dropped.add('tool_result.is_error');
      items.push({ type: 'function_call_output', call_id: part.toolCallId, output: toolOutput(part.content, part.images) });
    } else dropped.add(`user.${part.type}`);
  }
  flush();
  return items;
}

/**
 * IR assistant turn → output items in order: text as an assistant message, calls as function_call items,
 * reasoning OpenAI signed as a reasoning item with its encrypted content. Reasoning without it cannot be
 * handed back statelessly (OpenAI would look its id up), so it is reported, as are other providers' signatures.
 */
function assistantItems(parts: readonly IrPart[], dropped: Set<string>): JsonRecord[] {
  const items: JsonRecord[] = [];
  let text: JsonRecord[] = [];
  const flush = () => {
    if (text.length > 0) items.push({ type: 'message', role: 'assistant', content: text });
    text = [];
  };
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') text.push({ type: 'output_text', text: part.text, annotations: [] });
      continue;
    }
    flush();
    if (part.type === 'tool_call') items.push({ type: 'function_call', call_id: part.id, name: part.name, arguments: part.arguments });
    else if (part.type === 'reasoning') {
      if (part.signature !== undefined && isOpenAiEncryptedReasoning(part.signature)) {
        const summary = part.text === '' ? [] : [{ type: 'summary_text', text: part.text }];
        items.push({ type: 'reasoning', summary, encrypted_content: part.signature });
      } else if (part.signature !== undefined && part.signature !== '') dropped.add('thinking.signature');
      else if (part.text !== '') dropped.add('thinking:unsigned');
    } else dropped.add(part.type === 'redacted_reasoning' ? 'redacted_thinking' : `assistant.${part.type}`);
  }
  flush();
  return items;
}

/** A later system instruction, in its place in the conversation. */
function systemItem(parts: readonly IrPart[]): JsonRecord {
  const content = parts.flatMap((p) => (p.type === 'text' ? [{ type: 'input_text', text: p.text }] : []));
  return { type: 'message', role: 'system', content };
}

const TOOL_CHOICE: Record<IrToolChoice['type'], (c: IrToolChoice) => unknown> = {
  auto: () => 'auto',
  none: () => 'none',
  required: () => 'required',
  tool: (c) => ({ type: 'function', name: (c as { name: string }).name }),
};

/** The IR's response format as `text.format` (flat: the json_schema's name, schema and strict sit beside its type). */
export function responsesTextFormat(format: NonNullable<IrRequest['responseFormat']>): JsonRecord {
  const chat = irToOpenAiResponseFormat(format);
  if (chat.type !== 'json_schema') return chat;
  return { type: 'json_schema', ...(chat.json_schema as JsonRecord) };
}

/** IR → Responses body for `model`; `dropped` lists IR fields the Responses API cannot carry. */
export function irToResponsesRequest(ir: IrRequest, model: string): { body: JsonRecord; dropped: string[] } {
  const dropped = new Set<string>();
  const input: JsonRecord[] = [];
  for (const message of ir.messages) {
    if (message.role === 'user') input.push(...userItems(message.parts, dropped));
    else if (message.role === 'system') input.push(systemItem(message.parts));
    else input.push(...assistantItems(message.parts, dropped));
  }
  const body: JsonRecord = { model, input, store: false };
  if (ir.thinking?.enabled === true || reasonsByDefault(model) || input.some((item) => item.type === 'reasoning')) {
    body.include = ['reasoning.encrypted_content'];
  }
  // OpenAI refuses json_object unless the input says "JSON" (as Chat Completions does).
  const jsonModeNote = ir.responseFormat?.type === 'json_object' && !mentionsJson(ir);
  if (ir.system !== undefined) body.instructions = jsonModeNote ? `${ir.system}\n\n${JSON_MODE_NOTE}` : ir.system;
  else if (jsonModeNote) body.instructions = JSON_MODE_NOTE;
  if (ir.tools.length > 0) {
    // Responses tools default to strict, which only some schemas meet; the IR's tools never asked for it.
    body.tools = ir.tools.map((t) => ({
      type: 'function',
      name: t.name,
      ...(t.description === undefined ? {} : { description: t.description }),
      parameters: t.parameters,
      strict: false,
    }));
    if (ir.parallelToolCalls !== undefined) body.parallel_tool_calls = ir.parallelToolCalls;
  }
  if (ir.toolChoice !== undefined) body.tool_choice = TOOL_CHOICE[ir.toolChoice.type](ir.toolChoice);
  if (ir.maxTokens !== undefined) body.max_output_tokens = ir.maxTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.topK !== undefined) dropped.add('top_k');
  if (ir.stop.length > 0) dropped.add('stop'); // the Responses API has no stop sequences
  if (ir.user !== undefined) body.user = ir.user.id;
  if (ir.responseFormat !== undefined) body.text = { format: responsesTextFormat(ir.responseFormat) };
  if (ir.thinking?.enabled === true) {
    const effort = thinkingEffort(ir.thinking);
    // A client that asked for reasoning reads it: the summary is what the Responses API shows of it.
    body.reasoning = { ...(effort === undefined ? {} : { effort }), summary: 'auto' };
  } else if (ir.thinking?.enabled === false) {
    // 'none' is an effort only the newest models take; older ones refuse it.
    dropped.add('thinking:disabled');
  }
  if (ir.stream) body.stream = true;
  return { body, dropped: [...dropped] };
}
