import { ClientFormat } from '@aigw/proto';
import { blank, events, type Answer, type ClientProtocol, type Stop } from './client-protocols.js';

// The OpenAI Responses API as a test client speaks it: instructions, input items (messages, function calls
// and their outputs), function tools, structured output as `text.format`, encrypted reasoning asked for by
// `include`; answers read from the output items, streams from the typed events
// (text and reasoning from their deltas, calls and signatures from output_item.done, the end from
// response.completed / response.incomplete, a failure from `error` or `response.failed`).

type Item = Record<string, any>;

function usageOf(u: any): Answer['usage'] {
  return u ? { input: u.input_tokens, output: u.output_tokens, cached: u.input_tokens_details?.cached_tokens ?? 0 } : undefined;
}

function stopOf(response: any, calls: number): Stop {
  if (response.status === 'incomplete') return 'length';
  return calls > 0 ? 'tool' : 'end';
}

/** What an output item adds to an answer (text and reasoning only when `withText`: streams take them from deltas). */
function readItem(answer: Answer, item: Item, withText: boolean): void {
  if (item.type === 'message' && withText) answer.text += item.content.map((p: Item) => p.text ?? '').join('');
  if (item.type === 'reasoning') {
    if (withText) answer.reasoning += item.summary.map((s: Item) => s.text).join('');
    if (item.encrypted_content) answer.signatures.push(item.encrypted_content);
  }
  if (item.type === 'function_call') answer.toolCalls.push({ id: item.call_id, name: item.name, args: JSON.parse(item.arguments) });
}

export const responsesProtocol: ClientProtocol = {
  format: ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES,
  body(c, stream) {
    const input: Item[] = [];
    for (const t of c.turns) {
      if (t.role === 'user') {
        const image = t.image === undefined ? [] : [{ type: 'input_image', image_url: 'url' in t.image ? t.image.url : `data:image/png;base64,${t.image.base64}` }];
        input.push({ role: 'user', content: image.length === 0 ? t.text : [{ type: 'input_text', text: t.text }, ...image] });
      } else if (t.role === 'assistant') {
        if (t.text) input.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: t.text }] });
        if (t.call) input.push({ type: 'function_call', call_id: t.call.id, name: t.call.name, arguments: JSON.stringify(t.call.args) });
      } else input.push({ type: 'function_call_output', call_id: t.id, output: t.result });
    }
    const tools = c.tools?.map((t) => ({ type: 'function', ...t }));
    const format = c.schema === undefined ? {} : { text: { format: { type: 'json_schema', name: 'answer', schema: c.schema, strict: true } } };
    return {
      model: 'client-model',
      ...(c.system ? { instructions: c.system } : {}),
      input,
      ...(tools ? { tools } : {}),
      ...(c.maxTokens ? { max_output_tokens: c.maxTokens } : {}),
      ...format,
      // A client that hands reasoning back on its next turn asks for it encrypted, as Codex does.
      include: ['reasoning.encrypted_content'],
      ...(stream ? { stream: true } : {}),
    };
  },
  answer(body) {
    const response = JSON.parse(body);
    const answer = blank();
    for (const item of response.output) readItem(answer, item, true);
    return { ...answer, stop: stopOf(response, answer.toolCalls.length), usage: usageOf(response.usage) };
  },
  streamAnswer(sse) {
    const answer = blank();
    let sequence = -1;
    for (const { event, data } of events(sse)) {
      // Every event is named after its type and numbered in order; a gap would be a lost event.
      if (event !== data.type || data.sequence_number !== sequence + 1) throw new Error(`event ${event} out of order: ${JSON.stringify(data)}`);
      sequence = data.sequence_number;
      if (event === 'error') answer.error = { status: data.error?.type ?? data.code, message: data.message };
      // A failed response is a failure too (what Codex reads), whether or not an `error` event came first.
      if (event === 'response.failed') answer.error ??= { status: data.response.error?.code, message: data.response.error?.message };
      if (event === 'response.output_text.delta') answer.text += data.delta;
      if (event === 'response.reasoning_summary_text.delta') answer.reasoning += data.delta;
      if (event === 'response.output_item.done') readItem(answer, data.item, false);
      if (event === 'response.completed' || event === 'response.incomplete') {
        answer.stop = stopOf(data.response, answer.toolCalls.length);
        answer.usage = usageOf(data.response.usage);
      }
    }
    return answer;
  },
};
