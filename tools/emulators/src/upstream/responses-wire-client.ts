import { parseSse, type Conversation, type DecodedAnswer, type WireRequest } from './wire-clients.js';

// The reference client for the Responses API, beside the other formats' in wire-clients.ts: one
// conversation as a Responses request, and a strict reading of the answer (whole or typed events, which
// must be numbered 0, 1, 2, … and end with response.completed or response.incomplete).

type Json = Record<string, any>;

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';
const URL_IMAGE = 'https://example.com/cat.png';

function responsesBody(c: Conversation): Json {
  const images = (c.images ?? []).map((kind) => ({ type: 'input_image', image_url: kind === 'data' ? `data:image/png;base64,${PNG}` : URL_IMAGE }));
  const input: Json[] = [{ role: 'user', content: [{ type: 'input_text', text: c.user }, ...images] }];
  if (c.toolResult !== undefined) {
    input.push(
      { type: 'function_call', call_id: 'call_1', name: c.toolResult.name, arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: c.toolResult.result },
    );
  }
  const body: Json = { model: c.model, input, stream: c.stream };
  if (c.system !== undefined) body.instructions = c.system;
  if (c.tools !== undefined) body.tools = c.tools.map((t) => ({ type: 'function', name: t.name, parameters: t.parameters, strict: false }));
  if (c.thinking === true) Object.assign(body, { reasoning: { effort: 'low', summary: 'auto' }, include: ['reasoning.encrypted_content'] });
  if (c.maxTokens !== undefined) body.max_output_tokens = c.maxTokens;
  if (c.schema !== undefined) body.text = { format: { type: 'json_schema', name: 'answer', schema: c.schema, strict: true } };
  return body;
}

export function responsesRequest(c: Conversation, credential: string): WireRequest {
  return { path: '/v1/responses', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: responsesBody(c) };
}

function usage(u: Json): DecodedAnswer['usage'] {
  const cached = u.input_tokens_details.cached_tokens;
  return { input: u.input_tokens - cached, cached, output: u.output_tokens };
}

/** A response object (the whole body, or the final event's). */
export function decodeResponsesJson(b: Json): DecodedAnswer {
  if (b.object !== 'response') throw new Error('not a response object');
  const out: DecodedAnswer = { text: '', thinking: '', finish: b.status, usage: usage(b.usage) };
  for (const item of b.output) {
    if (item.type === 'message') out.text += item.content.map((p: Json) => p.text).join('');
    if (item.type === 'reasoning') {
      out.thinking += item.summary.map((p: Json) => p.text).join('');
      if (item.encrypted_content !== undefined) out.signature = item.encrypted_content;
    }
    if (item.type === 'function_call') out.toolCall = { name: item.name, args: JSON.parse(item.arguments) };
  }
  return out;
}

/** A stream: its deltas must add up to what its final response says. */
export function decodeResponsesStream(text: string): DecodedAnswer {
  const events = parseSse(text, false);
  const deltas = { text: '', thinking: '', args: '' };
  let final: Json | undefined;
  events.forEach((e, i) => {
    const data = JSON.parse(e.data) as Json;
    if (data.type !== e.event) throw new Error(`event ${e.event} carries type ${data.type}`);
    if (data.sequence_number !== i) throw new Error(`event ${i} has sequence_number ${data.sequence_number}`);
    if (data.type === 'response.output_text.delta') deltas.text += data.delta;
    if (data.type === 'response.reasoning_summary_text.delta') deltas.thinking += data.delta;
    if (data.type === 'response.function_call_arguments.delta') deltas.args += data.delta;
    if (data.type === 'response.completed' || data.type === 'response.incomplete') final = data.response;
  });
  if (final === undefined || events.at(-1)?.event !== `response.${final.status}`) throw new Error('stream does not end with its final response');
  const out = decodeResponsesJson(final);
  if (out.text !== deltas.text || out.thinking !== deltas.thinking) throw new Error('deltas differ from the final response');
  if (out.toolCall !== undefined && JSON.stringify(JSON.parse(deltas.args)) !== JSON.stringify(out.toolCall.args)) throw new Error('argument deltas differ');
  return out;
}
