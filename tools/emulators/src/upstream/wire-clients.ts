import type { WireFormatName } from './request-log.js';
import { decodeResponsesJson, decodeResponsesStream, responsesRequest } from './responses-wire-client.js';

// Reference clients for the emulator's own tests: build one conversation in each wire format, and
// decode answers (JSON or SSE) strictly, throwing on any malformed event, into one neutral shape so a
// test can assert that every format answers the same. Deliberately independent of the emulator's
// renderers: it reads the wire as a gateway would.

export interface Conversation {
  model: string;
  system?: string;
  user: string;
  /** Images attached to the user turn: a base64 data image or an http URL. */
  images?: Array<'data' | 'url'>;
  tools?: Array<{ name: string; parameters: unknown }>;
  /** Continue the conversation: the assistant called `name`, the tool returned `result`. */
  toolResult?: { name: string; result: string };
  /** Ask for reasoning the format's own way. */
  thinking?: boolean;
  stream: boolean;
  maxTokens?: number;
  /** Ask for structured output the format's own way: a JSON document valid against this JSON Schema. */
  schema?: Record<string, unknown>;
}

export interface WireRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface DecodedAnswer {
  text: string;
  thinking: string;
  signature?: string;
  toolCall?: { name: string; args: unknown };
  /** The format's own finish / stop reason. */
  finish: string;
  /** Normalized: uncached input, cached input, all output (answer + reasoning). */
  usage: { input: number; cached: number; output: number };
}

type Json = Record<string, any>;

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';
const URL_IMAGE = 'https://example.com/cat.png';

function openAiBody(c: Conversation): Json {
  const images = (c.images ?? []).map((kind) => ({ type: 'image_url', image_url: { url: kind === 'data' ? `data:image/png;base64,${PNG}` : URL_IMAGE } }));
  const messages: Json[] = c.system === undefined ? [] : [{ role: 'system', content: c.system }];
  messages.push({ role: 'user', content: images.length === 0 ? c.user : [{ type: 'text', text: c.user }, ...images] });
  if (c.toolResult !== undefined) {
    messages.push(
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: c.toolResult.name, arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: c.toolResult.result },
    );
  }
  const body: Json = { model: c.model, messages, stream: c.stream };
  if (c.stream) body.stream_options = { include_usage: true };
  if (c.tools !== undefined) body.tools = c.tools.map((t) => ({ type: 'function', function: { name: t.name, parameters: t.parameters } }));
  if (c.thinking === true) body.reasoning_effort = 'low';
  if (c.maxTokens !== undefined) body.max_tokens = c.maxTokens;
  if (c.schema !== undefined) body.response_format = { type: 'json_schema', json_schema: { name: 'answer', schema: c.schema, strict: true } };
  return body;
}

function anthropicBody(c: Conversation): Json {
  const images = (c.images ?? []).map((kind) => ({
    type: 'image',
    source: kind === 'data' ? { type: 'base64', media_type: 'image/png', data: PNG } : { type: 'url', url: URL_IMAGE },
  }));
  const messages: Json[] = [{ role: 'user', content: images.length === 0 ? c.user : [{ type: 'text', text: c.user }, ...images] }];
  if (c.toolResult !== undefined) {
    messages.push(
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: c.toolResult.name, input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: c.toolResult.result }] },
    );
  }
  const body: Json = { model: c.model, max_tokens: c.maxTokens ?? 1024, messages, stream: c.stream };
  if (c.system !== undefined) body.system = c.system;
  if (c.tools !== undefined) body.tools = c.tools.map((t) => ({ name: t.name, input_schema: t.parameters }));
  if (c.thinking === true) body.thinking = { type: 'enabled', budget_tokens: 1024 };
  if (c.schema !== undefined) body.output_config = { format: { type: 'json_schema', schema: c.schema } };
  return body;
}

function geminiBody(c: Conversation): Json {
  const images = (c.images ?? []).map((kind) =>
    kind === 'data' ? { inlineData: { mimeType: 'image/png', data: PNG } } : { fileData: { mimeType: 'image/png', fileUri: URL_IMAGE } },
  );
  const contents: Json[] = [{ role: 'user', parts: [{ text: c.user }, ...images] }];
  if (c.toolResult !== undefined) {
    contents.push(
      { role: 'model', parts: [{ functionCall: { name: c.toolResult.name, args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { name: c.toolResult.name, response: { content: c.toolResult.result } } }] },
    );
  }
  const body: Json = { contents };
  if (c.system !== undefined) body.systemInstruction = { parts: [{ text: c.system }] };
  if (c.tools !== undefined) body.tools = [{ functionDeclarations: c.tools.map((t) => ({ name: t.name, parameters: t.parameters })) }];
  const generationConfig: Json = {};
  if (c.maxTokens !== undefined) generationConfig.maxOutputTokens = c.maxTokens;
  if (c.thinking === true) generationConfig.thinkingConfig = { includeThoughts: true };
  if (c.schema !== undefined) Object.assign(generationConfig, { responseMimeType: 'application/json', responseJsonSchema: c.schema });
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

/** The HTTP request for a conversation in a format, authenticated with `credential`. */
export function buildRequest(format: WireFormatName, c: Conversation, credential: string): WireRequest {
  const json = { 'content-type': 'application/json' };
  switch (format) {
    case 'openai':
      return { path: '/v1/chat/completions', headers: { ...json, authorization: `Bearer ${credential}` }, body: openAiBody(c) };
    case 'anthropic':
      return { path: '/v1/messages', headers: { ...json, 'x-api-key': credential, 'anthropic-version': '2023-06-01' }, body: anthropicBody(c) };
    case 'gemini': {
      const method = c.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
      return { path: `/v1beta/models/${c.model}:${method}`, headers: { ...json, 'x-goog-api-key': credential }, body: geminiBody(c) };
    }
    case 'antigravity': {
      const path = c.stream ? '/v1internal:streamGenerateContent?alt=sse' : '/v1internal:generateContent';
      return { path, headers: { ...json, authorization: `Bearer ${credential}` }, body: { project: 'p', model: c.model, request: geminiBody(c) } };
    }
    case 'responses':
      return responsesRequest(c, credential);
  }
}

export interface SseEvent {
  event?: string;
  data: string;
}

/** Splits an SSE body into events, requiring the format's framing (CRLF for Google) and a clean end. */
export function parseSse(text: string, crlf: boolean): SseEvent[] {
  const end = crlf ? '\r\n\r\n' : '\n\n';
  const line = crlf ? '\r\n' : '\n';
  if (!text.endsWith(end)) throw new Error('stream does not end with a complete event');
  return text
    .slice(0, -end.length)
    .split(end)
    .map((raw) => {
      const event: SseEvent = { data: '' };
      for (const l of raw.split(line)) {
        if (l.startsWith('event: ')) event.event = l.slice(7);
        else if (l.startsWith('data: ')) event.data = l.slice(6);
        else throw new Error(`unexpected SSE line: ${JSON.stringify(l)}`);
      }
      return event;
    });
}

function decodeOpenAiJson(b: Json): DecodedAnswer {
  const choice = b.choices[0];
  const call = choice.message.tool_calls?.[0];
  return {
    text: choice.message.content ?? '',
    thinking: choice.message.reasoning_content ?? '',
    ...(call === undefined ? {} : { toolCall: { name: call.function.name, args: JSON.parse(call.function.arguments) } }),
    finish: choice.finish_reason,
    usage: openAiUsage(b.usage),
  };
}

function openAiUsage(u: Json): DecodedAnswer['usage'] {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  return { input: u.prompt_tokens - cached, cached, output: u.completion_tokens };
}

function decodeOpenAiStream(text: string): DecodedAnswer {
  const events = parseSse(text, false);
  if (events.at(-1)?.data !== '[DONE]') throw new Error('OpenAI stream must end with [DONE]');
  const out: DecodedAnswer = { text: '', thinking: '', finish: '', usage: { input: 0, cached: 0, output: 0 } };
  let name = '';
  let args = '';
  for (const e of events.slice(0, -1)) {
    const chunk = JSON.parse(e.data) as Json;
    if (chunk.object !== 'chat.completion.chunk') throw new Error(`not a chunk: ${e.data}`);
    if (chunk.usage) out.usage = openAiUsage(chunk.usage);
    const choice = chunk.choices[0];
    if (choice === undefined) continue;
    out.text += choice.delta.content ?? '';
    out.thinking += choice.delta.reasoning_content ?? '';
    for (const call of choice.delta.tool_calls ?? []) {
      if (call.function?.name) name = call.function.name;
      args += call.function?.arguments ?? '';
    }
    if (choice.finish_reason) out.finish = choice.finish_reason;
  }
  if (name !== '') out.toolCall = { name, args: JSON.parse(args) };
  return out;
}

function anthropicUsage(u: Json, output: number): DecodedAnswer['usage'] {
  return { input: u.input_tokens, cached: u.cache_read_input_tokens ?? 0, output };
}

function decodeAnthropicJson(b: Json): DecodedAnswer {
  const out: DecodedAnswer = { text: '', thinking: '', finish: b.stop_reason, usage: anthropicUsage(b.usage, b.usage.output_tokens) };
  for (const block of b.content) {
    if (block.type === 'text') out.text += block.text;
    if (block.type === 'thinking') [out.thinking, out.signature] = [block.thinking, block.signature];
    if (block.type === 'tool_use') out.toolCall = { name: block.name, args: block.input };
  }
  return out;
}

function decodeAnthropicStream(text: string): DecodedAnswer {
  const events = parseSse(text, false).map((e) => {
    const data = JSON.parse(e.data) as Json;
    if (data.type !== e.event) throw new Error(`event ${e.event} carries type ${data.type}`);
    return data;
  });
  if (events[0]?.type !== 'message_start' || events.at(-1)?.type !== 'message_stop') throw new Error('bad message framing');
  const out: DecodedAnswer = { text: '', thinking: '', finish: '', usage: { input: 0, cached: 0, output: 0 } };
  const start = events[0].message.usage;
  const open = new Map<number, Json>();
  let json = '';
  for (const e of events) {
    if (e.type === 'content_block_start') {
      if (open.has(e.index)) throw new Error(`block ${e.index} opened twice`);
      open.set(e.index, e.content_block);
      if (e.content_block.type === 'tool_use') out.toolCall = { name: e.content_block.name, args: undefined };
    } else if (e.type === 'content_block_delta') {
      if (!open.has(e.index)) throw new Error(`delta for block ${e.index} that is not open`);
      const d = e.delta;
      if (d.type === 'text_delta') out.text += d.text;
      else if (d.type === 'thinking_delta') out.thinking += d.thinking;
      else if (d.type === 'signature_delta') out.signature = d.signature;
      else if (d.type === 'input_json_delta') json += d.partial_json;
      else throw new Error(`unknown delta ${d.type}`);
    } else if (e.type === 'content_block_stop') {
      if (!open.delete(e.index)) throw new Error(`stop for block ${e.index} that is not open`);
    } else if (e.type === 'message_delta') {
      out.finish = e.delta.stop_reason;
      out.usage = anthropicUsage(start, e.usage.output_tokens);
    }
  }
  if (open.size > 0) throw new Error('blocks left open');
  if (out.toolCall !== undefined) out.toolCall.args = JSON.parse(json);
  return out;
}

function googleUsage(u: Json): DecodedAnswer['usage'] {
  const cached = u.cachedContentTokenCount ?? 0;
  return { input: u.promptTokenCount - cached, cached, output: u.candidatesTokenCount + (u.thoughtsTokenCount ?? 0) };
}

function addGoogleParts(out: DecodedAnswer, parts: Json[]): void {
  for (const part of parts) {
    if (part.thought === true) out.thinking += part.text ?? '';
    else if (typeof part.text === 'string') out.text += part.text;
    if (part.thoughtSignature !== undefined) out.signature = part.thoughtSignature;
    if (part.functionCall !== undefined) out.toolCall = { name: part.functionCall.name, args: part.functionCall.args };
  }
}

function decodeGoogleJson(r: Json): DecodedAnswer {
  const out: DecodedAnswer = { text: '', thinking: '', finish: r.candidates[0].finishReason, usage: googleUsage(r.usageMetadata) };
  addGoogleParts(out, r.candidates[0].content.parts);
  return out;
}

function decodeGoogleStream(text: string, wrapped: boolean): DecodedAnswer {
  const out: DecodedAnswer = { text: '', thinking: '', finish: '', usage: { input: 0, cached: 0, output: 0 } };
  for (const e of parseSse(text, true)) {
    const body = JSON.parse(e.data) as Json;
    const r = wrapped ? body.response : body;
    if (r === undefined || !Array.isArray(r.candidates)) throw new Error(`not a response chunk: ${e.data}`);
    addGoogleParts(out, r.candidates[0].content.parts);
    if (r.candidates[0].finishReason) out.finish = r.candidates[0].finishReason;
    if (r.usageMetadata) out.usage = googleUsage(r.usageMetadata);
  }
  return out;
}

/** Decodes a whole JSON answer. */
export function decodeJson(format: WireFormatName, body: unknown): DecodedAnswer {
  const b = body as Json;
  if (format === 'openai') return decodeOpenAiJson(b);
  if (format === 'responses') return decodeResponsesJson(b);
  if (format === 'anthropic') return decodeAnthropicJson(b);
  return decodeGoogleJson(format === 'antigravity' ? b.response : b);
}

/** Decodes a whole SSE answer, checking every event. */
export function decodeStream(format: WireFormatName, text: string): DecodedAnswer {
  if (format === 'openai') return decodeOpenAiStream(text);
  if (format === 'responses') return decodeResponsesStream(text);
  if (format === 'anthropic') return decodeAnthropicStream(text);
  return decodeGoogleStream(text, format === 'antigravity');
}
