import { ClientFormat } from '@aigw/proto';
import { SseParser } from '@aigw/formats';
import { responsesProtocol } from './responses-protocol.js';

// The client protocols as a test client speaks them: how to write a conversation in each, and how to read
// an answer (whole or streamed) back into one comparable shape. The Responses API's is in
// responses-protocol.ts (its events take a page of their own).

export type Stop = 'end' | 'length' | 'tool';

export interface Answer {
  text: string;
  reasoning: string;
  /** Signatures the client would hand back (Anthropic thinking, Gemini thoughtSignature). */
  signatures: string[];
  toolCalls: Array<{ id: string; name: string; args: unknown }>;
  stop: Stop | undefined;
  /** Whole prompt, output, cached part of the prompt, as the protocol reports them. */
  usage: { input: number; output: number; cached: number } | undefined;
  /** The protocol's in-stream error event, when the stream ended with one. */
  error?: { status?: number | string; message: string };
}

/** A conversation in neutral terms; each protocol writes it its own way. */
export interface Conversation {
  system?: string;
  turns: Array<
    | { role: 'user'; text: string; image?: { base64: string } | { url: string } }
    | { role: 'assistant'; text?: string; call?: { id: string; name: string; args: unknown } }
    | { role: 'tool'; id: string; name: string; result: string }
  >;
  tools?: Array<{ name: string; description: string; parameters: Record<string, unknown> }>;
  maxTokens?: number;
  /** Structured output: the answer must be JSON valid against this schema (asked the protocol's own way). */
  schema?: Record<string, unknown>;
}

export interface ClientProtocol {
  format: ClientFormat;
  body(conversation: Conversation, stream: boolean): unknown;
  answer(body: string): Answer;
  streamAnswer(sse: string): Answer;
}

/** The JSON events of an SSE text (OpenAI's `[DONE]` left out). */
export function events(text: string): Array<{ event: string; data: any }> {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(text)), ...parser.end()]
    .filter((e) => e.data !== '[DONE]')
    .map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
}

export const blank = (): Answer => ({ text: '', reasoning: '', signatures: [], toolCalls: [], stop: undefined, usage: undefined });

const OPENAI_STOP: Record<string, Stop> = { stop: 'end', length: 'length', tool_calls: 'tool' };
const ANTHROPIC_STOP: Record<string, Stop> = { end_turn: 'end', max_tokens: 'length', tool_use: 'tool' };

function openAiUsage(u: any): Answer['usage'] {
  return u ? { input: u.prompt_tokens, output: u.completion_tokens, cached: u.prompt_tokens_details?.cached_tokens ?? 0 } : undefined;
}
function anthropicUsage(u: any): Answer['usage'] {
  const cached = u.cache_read_input_tokens ?? 0;
  return { input: u.input_tokens + cached + (u.cache_creation_input_tokens ?? 0), output: u.output_tokens, cached };
}
function geminiUsage(u: any): Answer['usage'] {
  return u ? { input: u.promptTokenCount, output: u.candidatesTokenCount + (u.thoughtsTokenCount ?? 0), cached: u.cachedContentTokenCount ?? 0 } : undefined;
}

export const openAiProtocol: ClientProtocol = {
  format: ClientFormat.CLIENT_FORMAT_OPENAI,
  body(c, stream) {
    const messages: unknown[] = c.system === undefined ? [] : [{ role: 'system', content: c.system }];
    for (const t of c.turns) {
      if (t.role === 'user') {
        const image = t.image === undefined ? [] : [{ type: 'image_url', image_url: { url: 'url' in t.image ? t.image.url : `data:image/png;base64,${t.image.base64}` } }];
        messages.push({ role: 'user', content: image.length === 0 ? t.text : [{ type: 'text', text: t.text }, ...image] });
      } else if (t.role === 'assistant') {
        const calls = t.call === undefined ? undefined : [{ id: t.call.id, type: 'function', function: { name: t.call.name, arguments: JSON.stringify(t.call.args) } }];
        messages.push({ role: 'assistant', content: t.text ?? null, ...(calls ? { tool_calls: calls } : {}) });
      } else messages.push({ role: 'tool', tool_call_id: t.id, content: t.result });
    }
    const tools = c.tools?.map((t) => ({ type: 'function', function: t }));
    const format = c.schema === undefined ? {} : { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: c.schema, strict: true } } };
    return { model: 'client-model', messages, ...(tools ? { tools } : {}), ...(c.maxTokens ? { max_tokens: c.maxTokens } : {}), ...format, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) };
  },
  answer(body) {
    const json = JSON.parse(body);
    const message = json.choices[0].message;
    return {
      ...blank(),
      text: message.content ?? '',
      reasoning: message.reasoning_content ?? '',
      toolCalls: (message.tool_calls ?? []).map((c: any) => ({ id: c.id, name: c.function.name, args: JSON.parse(c.function.arguments) })),
      stop: OPENAI_STOP[json.choices[0].finish_reason],
      usage: openAiUsage(json.usage),
    };
  },
  streamAnswer(sse) {
    const answer = blank();
    const calls: Array<{ id: string; name: string; args: string }> = [];
    for (const { data } of events(sse)) {
      if (data.error) answer.error = { status: data.error.type, message: data.error.message };
      const choice = data.choices?.[0];
      answer.text += choice?.delta?.content ?? '';
      answer.reasoning += choice?.delta?.reasoning_content ?? '';
      for (const call of choice?.delta?.tool_calls ?? []) {
        calls[call.index] ??= { id: call.id, name: call.function?.name, args: '' };
        (calls[call.index] as { args: string }).args += call.function?.arguments ?? '';
      }
      if (choice?.finish_reason) answer.stop = OPENAI_STOP[choice.finish_reason];
      if (data.usage) answer.usage = openAiUsage(data.usage);
    }
    answer.toolCalls = calls.map((c) => ({ ...c, args: JSON.parse(c.args) }));
    return answer;
  },
};

export const anthropicProtocol: ClientProtocol = {
  format: ClientFormat.CLIENT_FORMAT_ANTHROPIC,
  body(c, stream) {
    const messages: Array<{ role: string; content: unknown[] }> = [];
    const push = (role: string, block: unknown) => {
      const last = messages.at(-1);
      if (last?.role === role) last.content.push(block);
      else messages.push({ role, content: [block] });
    };
    for (const t of c.turns) {
      if (t.role === 'user') {
        push('user', { type: 'text', text: t.text });
        if (t.image) push('user', { type: 'image', source: 'url' in t.image ? { type: 'url', url: t.image.url } : { type: 'base64', media_type: 'image/png', data: t.image.base64 } });
      } else if (t.role === 'assistant') {
        if (t.text) push('assistant', { type: 'text', text: t.text });
        if (t.call) push('assistant', { type: 'tool_use', id: t.call.id, name: t.call.name, input: t.call.args });
      } else push('user', { type: 'tool_result', tool_use_id: t.id, content: t.result });
    }
    const tools = c.tools?.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
    const format = c.schema === undefined ? {} : { output_config: { format: { type: 'json_schema', schema: c.schema } } };
    return { model: 'client-model', max_tokens: c.maxTokens ?? 500, ...(c.system ? { system: c.system } : {}), messages, ...(tools ? { tools } : {}), ...format, ...(stream ? { stream: true } : {}) };
  },
  answer(body) {
    const json = JSON.parse(body);
    const answer = blank();
    for (const block of json.content) {
      if (block.type === 'text') answer.text += block.text;
      if (block.type === 'thinking') answer.reasoning += block.thinking;
      if (block.type === 'thinking' && block.signature) answer.signatures.push(block.signature);
      if (block.type === 'tool_use') answer.toolCalls.push({ id: block.id, name: block.name, args: block.input });
    }
    return { ...answer, stop: ANTHROPIC_STOP[json.stop_reason], usage: anthropicUsage(json.usage) };
  },
  streamAnswer(sse) {
    const answer = blank();
    const blocks: Record<number, any> = {};
    let usage: any = {};
    for (const { event, data } of events(sse)) {
      if (event === 'error') answer.error = { status: data.error.type, message: data.error.message };
      if (event === 'message_start') usage = { ...data.message.usage };
      if (event === 'content_block_start') blocks[data.index] = { ...data.content_block, json: '' };
      if (event === 'content_block_delta') {
        const block = blocks[data.index];
        if (data.delta.type === 'text_delta') answer.text += data.delta.text;
        if (data.delta.type === 'thinking_delta') answer.reasoning += data.delta.thinking;
        if (data.delta.type === 'signature_delta') answer.signatures.push(data.delta.signature);
        if (data.delta.type === 'input_json_delta') block.json += data.delta.partial_json;
      }
      if (event === 'content_block_stop' && blocks[data.index]?.type === 'tool_use') {
        const b = blocks[data.index];
        answer.toolCalls.push({ id: b.id, name: b.name, args: JSON.parse(b.json || '{}') });
      }
      if (event === 'message_delta') {
        answer.stop = ANTHROPIC_STOP[data.delta.stop_reason];
        usage = { ...usage, ...data.usage };
      }
    }
    if (usage.input_tokens !== undefined) answer.usage = anthropicUsage(usage);
    return answer;
  },
};

function readGeminiResponse(answer: Answer, data: any): void {
  const candidate = data.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) {
    if (part.thoughtSignature) answer.signatures.push(part.thoughtSignature);
    if (part.thought) answer.reasoning += part.text ?? '';
    else if (typeof part.text === 'string') answer.text += part.text;
    if (part.functionCall) answer.toolCalls.push({ id: part.functionCall.id, name: part.functionCall.name, args: part.functionCall.args ?? {} });
  }
  if (candidate?.finishReason) answer.stop = candidate.finishReason === 'MAX_TOKENS' ? 'length' : 'end';
  if (data.usageMetadata) answer.usage = geminiUsage(data.usageMetadata);
}

export const geminiProtocol: ClientProtocol = {
  format: ClientFormat.CLIENT_FORMAT_GEMINI,
  body(c) {
    const contents: Array<{ role: string; parts: unknown[] }> = [];
    const push = (role: string, part: unknown) => {
      const last = contents.at(-1);
      if (last?.role === role) last.parts.push(part);
      else contents.push({ role, parts: [part] });
    };
    for (const t of c.turns) {
      if (t.role === 'user') {
        push('user', { text: t.text });
        if (t.image) push('user', 'url' in t.image ? { fileData: { mimeType: 'image/png', fileUri: t.image.url } } : { inlineData: { mimeType: 'image/png', data: t.image.base64 } });
      } else if (t.role === 'assistant') {
        if (t.text) push('model', { text: t.text });
        if (t.call) push('model', { functionCall: { name: t.call.name, args: t.call.args } });
      } else push('user', { functionResponse: { name: t.name, response: { output: t.result } } });
    }
    const tools = c.tools === undefined ? undefined : [{ functionDeclarations: c.tools }];
    return {
      contents,
      ...(c.system ? { systemInstruction: { parts: [{ text: c.system }] } } : {}),
      ...(tools ? { tools } : {}),
      ...(c.maxTokens || c.schema ? { generationConfig: { ...(c.maxTokens ? { maxOutputTokens: c.maxTokens } : {}), ...(c.schema ? { responseMimeType: 'application/json', responseJsonSchema: c.schema } : {}) } } : {}),
    };
  },
  answer(body) {
    const answer = blank();
    readGeminiResponse(answer, JSON.parse(body));
    if (answer.toolCalls.length > 0 && answer.stop === 'end') answer.stop = 'tool';
    return answer;
  },
  streamAnswer(sse) {
    const answer = blank();
    for (const { data } of events(sse)) {
      if (data.error) answer.error = { status: data.error.code, message: data.error.message };
      else readGeminiResponse(answer, data);
    }
    if (answer.toolCalls.length > 0 && answer.stop === 'end') answer.stop = 'tool';
    return answer;
  },
};

export const PROTOCOLS = { openai: openAiProtocol, anthropic: anthropicProtocol, gemini: geminiProtocol, responses: responsesProtocol } as const;
