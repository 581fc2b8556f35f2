import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import type { FunctionTool, Response, ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { expect } from 'vitest';
import { defineConformanceSuite, type ExtraFeature } from './support/conformance-suite.js';
import { capturingFetch } from './support/response-headers.js';
import { expectCoherentStream } from './support/responses-events.js';
import { emulatorReply, PROMPT, TOOL_PROMPT, TOOL_RESULT, WEATHER_TOOL, type Conversation, type Mode, type Observed } from './support/scenarios.js';

// The `openai` SDK against the gateway's Responses API (`POST /v1/responses`), for every provider behind
// it: `responses.create` for whole answers (`responses.parse` for structured output, which validates
// `output_parsed` with the zod schema), the `responses.stream` helper for streams, whose every event is
// also checked to add up to the final response (arguments whole, text complete). Conversations are
// written the way the SDK's docs write them: `instructions` for the system prompt, the previous
// `response.output` items handed back whole, `function_call_output` for tool results. Rows of its own:
// continuing a stored answer by `previous_response_id` (a plain turn, and a tool result), and the raw
// `stream: true` event sequence.

/** OpenAI's beta-API header, as in the Chat Completions suite. */
const PROBE = { name: 'openai-beta', value: 'assistants=v2' };

function inputOf(conversation: Conversation): ResponseInputItem[] {
  const input: ResponseInputItem[] = [];
  for (const turn of conversation.turns) {
    if (turn.role === 'user') {
      if (turn.image === undefined) {
        input.push({ role: 'user', content: turn.text });
      } else {
        const url = 'url' in turn.image ? turn.image.url : `data:${turn.image.mimeType};base64,${turn.image.base64}`;
        input.push({ role: 'user', content: [{ type: 'input_text', text: turn.text }, { type: 'input_image', image_url: url, detail: 'auto' }] });
      }
    } else if (turn.role === 'assistant') {
      input.push({ role: 'assistant', content: turn.text });
    } else if (turn.role === 'assistant-reply') {
      // As the SDK's function-calling guide does: every output item of the answer goes back as it came.
      input.push(...(turn.reply.native as ResponseInputItem[]));
    } else if (turn.role === 'system') {
      input.push({ role: 'system', content: turn.text });
    } else {
      input.push({ type: 'function_call_output', call_id: turn.callId ?? '', output: turn.result });
    }
  }
  return input;
}

const toolsOf = (conversation: Conversation): FunctionTool[] | undefined =>
  conversation.tools?.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters, strict: false }));

/** Reasoning as the items carry it: the raw reasoning text where the provider gives one, else the summary. */
function reasoningOf(response: Response): string {
  return response.output
    .map((item) => {
      if (item.type !== 'reasoning') return '';
      const raw = (item.content ?? []).map((c) => c.text).join('');
      return raw !== '' ? raw : item.summary.map((s) => s.text).join('');
    })
    .join('');
}

/** The answer's text as the SDK's `output_text` joins it (which it adds to whole answers, not to stream events). */
function textOf(response: Response): string {
  if (typeof response.output_text === 'string') return response.output_text;
  return response.output.flatMap((item) => (item.type === 'message' ? item.content.flatMap((c) => (c.type === 'output_text' ? [c.text] : [])) : [])).join('');
}

function observe(response: Response, dropped: string[]): Observed {
  const parsed = (response as { output_parsed?: unknown }).output_parsed;
  return {
    text: textOf(response),
    reasoning: reasoningOf(response),
    signatures: [],
    toolCalls: response.output.flatMap((item) => (item.type === 'function_call' ? [{ id: item.call_id, name: item.name, args: JSON.parse(item.arguments) as unknown }] : [])),
    stop: response.status === 'incomplete' ? `incomplete:${response.incomplete_details?.reason ?? ''}` : response.status,
    usage: response.usage as unknown as Record<string, unknown> | undefined,
    model: response.model,
    dropped,
    native: response.output,
    responseId: response.id,
    ...(parsed === undefined || parsed === null ? {} : { parsed }),
  };
}

function paramsOf(model: string, conversation: Conversation) {
  const tools = toolsOf(conversation);
  return {
    model,
    input: inputOf(conversation),
    ...(conversation.system === undefined ? {} : { instructions: conversation.system }),
    ...(tools === undefined ? {} : { tools }),
    ...(conversation.maxTokens === undefined ? {} : { max_output_tokens: conversation.maxTokens }),
    ...(conversation.reasoning === true ? { reasoning: { effort: 'low' as const, summary: 'auto' as const } } : {}),
    ...(conversation.previousResponseId === undefined ? {} : { previous_response_id: conversation.previousResponseId }),
  };
}

function client(stack: { clientKey: string; ingressUrl: string }, fetch?: typeof globalThis.fetch): OpenAI {
  return new OpenAI({ apiKey: stack.clientKey, baseURL: `${stack.ingressUrl}/v1`, maxRetries: 0, ...(fetch === undefined ? {} : { fetch }) });
}

/** A stored answer continued by id: only the new turn is sent, the model reads the whole conversation. */
const continuePlainTurn: ExtraFeature = {
  name: 'previous_response_id',
  slug: 'previous',
  modes: ['json', 'stream'],
  upstreamCalls: 2,
  async run({ driver, expectAnswer }, model, mode, provider) {
    const first = await driver.send(model, { turns: [{ role: 'user', text: PROMPT }] }, mode);
    expectAnswer(first, emulatorReply(model, { texts: [PROMPT], lastUserText: PROMPT }), model, provider);
    expect(first.responseId).toMatch(/^resp_/);
    const followUp = 'And now say goodbye';
    const second = await driver.send(model, { previousResponseId: first.responseId, turns: [{ role: 'user', text: followUp }] }, mode);
    expectAnswer(second, emulatorReply(model, { texts: [PROMPT, first.text, followUp], lastUserText: followUp }), model, provider);
    expect(second.responseId).not.toBe(first.responseId);
    expect([...first.dropped, ...second.dropped], 'x-aigw-dropped').toEqual([]);
    return 'pass';
  },
};

/** The tool result sent as the only input of a turn that continues the answer which called the tool. */
const continueToolCall: ExtraFeature = {
  name: 'tool result by previous_response_id',
  slug: 'previous-tools',
  modes: ['json', 'stream'],
  upstreamCalls: 2,
  async run({ driver, expectAnswer }, model, mode, provider) {
    const tools = [WEATHER_TOOL];
    const asked = { texts: [TOOL_PROMPT], lastUserText: TOOL_PROMPT, tools };
    const first = await driver.send(model, { tools, turns: [{ role: 'user', text: TOOL_PROMPT }] }, mode);
    expectAnswer(first, emulatorReply(model, asked), model, provider);
    const call = first.toolCalls[0];
    if (call === undefined) throw new Error('the model did not call the tool');
    // Tools are not carried over by previous_response_id (OpenAI's rule): they are sent again.
    const second = await driver.send(model, { tools, previousResponseId: first.responseId, turns: [{ role: 'tool', callId: call.id, name: call.name, result: TOOL_RESULT }] }, mode);
    expectAnswer(second, emulatorReply(model, { ...asked, texts: [TOOL_PROMPT, TOOL_RESULT], toolResults: [{ name: call.name, text: TOOL_RESULT }] }), model, provider);
    expect([...first.dropped, ...second.dropped], 'x-aigw-dropped').toEqual([]);
    return 'pass';
  },
};

/** `responses.create({ stream: true })` as apps without the helper read it: the raw typed events, in order. */
const rawEventStream: ExtraFeature = {
  name: 'stream: true events',
  slug: 'raw-stream',
  modes: ['stream'],
  upstreamCalls: 1,
  async run({ stack, expectAnswer }, model, _mode, provider) {
    const capture = capturingFetch();
    const stream = await client(stack, capture.fetch).responses.create({ model, input: PROMPT, stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error(`stream ended with ${completed?.type}`);
    expectCoherentStream(events, completed.response);
    // The typed events a plain text answer is made of, in OpenAI's order.
    const kinds = [...new Set(events.map((e) => e.type))];
    expect(kinds).toEqual(
      expect.arrayContaining([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]),
    );
    const reply = emulatorReply(model, { texts: [PROMPT], lastUserText: PROMPT });
    expectAnswer(observe(completed.response, capture.dropped()), reply, model, provider);
    expect(capture.dropped()).toEqual([]);
    return 'pass';
  },
};

defineConformanceSuite({
  client: 'responses',
  sdk: 'openai',
  testFile: import.meta.url,
  countsTokens: false,
  extraFeatures: [continuePlainTurn, continueToolCall, rawEventStream],
  connect: (stack) => ({
    probeHeader: PROBE,
    async send(model: string, conversation: Conversation, mode: Mode, probe = false): Promise<Observed> {
      const capture = capturingFetch();
      const sdk = client(stack, capture.fetch);
      const params = paramsOf(model, conversation);
      const options = probe ? { headers: { [PROBE.name]: PROBE.value } } : {};
      if (conversation.output !== undefined) {
        const text = { format: zodTextFormat(conversation.output.schema, conversation.output.name) };
        if (mode === 'json') return observe(await sdk.responses.parse({ ...params, text }, options), capture.dropped());
        return streamed(sdk.responses.stream({ ...params, text }, options), capture.dropped);
      }
      if (mode === 'json') return observe(await sdk.responses.create(params, options), capture.dropped());
      return streamed(sdk.responses.stream(params, options), capture.dropped);
    },
  }),
});

/** Reads a `responses.stream` helper to its end, checks its events against the final response, observes that. */
async function streamed(stream: AsyncIterable<ResponseStreamEvent> & { finalResponse(): Promise<Response> }, dropped: () => string[]): Promise<Observed> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  const final = await stream.finalResponse();
  expectCoherentStream(events, final);
  return observe(final, dropped());
}
