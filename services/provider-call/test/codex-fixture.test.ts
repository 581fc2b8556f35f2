import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countWords } from '@aigw/emulators';
import { SseParser } from '@aigw/formats';
import { ClientFormat, InvokeRequest } from '@aigw/proto';
import { PROTOCOLS } from './client-protocols.js';
import { PROVIDERS, providerAccounts, upstreamModelOf, type ProviderName } from './matrix-stack.js';
import { invokeRequest, startTestStack, streamText, type TestStack } from './test-stack.js';

// The request Codex CLI 0.171 really sends (test/fixtures/codex: two developer messages of instructions,
// function tools, a namespace of sub-agent tools, web_search, store:false, include, prompt_cache_key,
// client_metadata), sent unchanged to every provider kind, whole and streamed, then its next turn with the
// call's output. The emulator calls the first declared tool unless told otherwise ([emu tool=…]).

const CODEX = JSON.parse(readFileSync(new URL('../../../test/fixtures/codex/first-turn.json', import.meta.url), 'utf8')).body as Record<string, any>;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** The body with its last user text replaced (the emulator reads its directives there). */
function withLastUserText(body: Record<string, any>, text: string): Record<string, any> {
  const input = [...body.input];
  input[input.length - 1] = { ...input.at(-1), content: [{ type: 'input_text', text }] };
  return { ...body, input };
}

/** Every word of every message: what the emulator counts as input (tools are not counted). */
const inputWords = (body: Record<string, any>) =>
  body.input.flatMap((item: any) => (item.type === 'message' ? item.content.map((p: any) => p.text ?? '') : [])).reduce((n: number, t: string) => n + countWords(t), 0);

async function send(provider: ProviderName, body: Record<string, any>, stream: boolean) {
  const target = providerAccounts(stack)[provider];
  const request = InvokeRequest.fromPartial({
    ...invokeRequest({ clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES, account: target.account, body: { ...body, stream }, stream }),
    // The Responses API (OpenAI's, emulated) answers only models it lists.
    upstreamModel: upstreamModelOf(provider),
    credential: target.credential,
    responseId: 'resp_codex1',
  });
  if (!stream) {
    const response = await stack.invoke(request, 60_000);
    const text = response.body.toString('utf8');
    return { status: response.status, dropped: response.droppedFields, answer: PROTOCOLS.responses.answer(text), response: JSON.parse(text), body: text };
  }
  const chunks = await stack.invokeStream(request);
  const sse = streamText(chunks);
  const events = new SseParser().push(new TextEncoder().encode(sse)).map((e) => JSON.parse(e.data));
  const response = events.find((e) => e.type === 'response.completed')?.response;
  return { status: chunks[0]?.start?.status ?? 0, dropped: chunks[0]?.start?.droppedFields ?? [], answer: PROTOCOLS.responses.streamAnswer(sse), response, body: sse };
}

describe.each(PROVIDERS.flatMap((provider) => [false, true].map((stream) => [provider, stream] as const)))('Codex → %s provider (stream: %s)', (provider, stream) => {
  it('answers the first turn with a complete call of its first tool, reporting what it could not carry', async () => {
    const result = await send(provider, CODEX, stream);
    expect(result.status, result.body).toBe(200);
    expect(result.answer.stop).toBe('tool');
    expect(result.answer.toolCalls.map((c) => c.name)).toEqual(['exec_command']);
    expect(result.answer.toolCalls[0]?.args).toMatchObject({ cmd: expect.any(String) });
    expect(result.answer.usage?.input).toBe(inputWords(CODEX));
    // Translated, what the provider cannot take is reported; a Responses upstream gets the body as Codex wrote it.
    if (provider === 'responses') expect(result.dropped).toEqual([]);
    else expect(result.dropped).toEqual(expect.arrayContaining(['tools[8].type=web_search', 'prompt_cache_key', 'client_metadata']));
    expect(result.response).toMatchObject({ id: 'resp_codex1', object: 'response', status: 'completed', store: false, tool_choice: 'auto', parallel_tool_calls: true });
    expect(result.response.tools).toHaveLength(CODEX.tools.length);
  });

  it('gives a call of a namespaced tool back its name and namespace, and answers from the call’s output', async () => {
    const first = await send(provider, withLastUserText(CODEX, 'say hi [emu tool=multi_agent_v1__spawn_agent]'), stream);
    expect(first.status, first.body).toBe(200);
    const call = first.response.output.find((item: any) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'spawn_agent', namespace: 'multi_agent_v1', status: 'completed', call_id: expect.any(String) });
    expect(() => JSON.parse(call.arguments)).not.toThrow();
    // Codex's next turn: everything so far, the output items as they came, then the call's output.
    const next = { ...CODEX, input: [...CODEX.input, ...first.response.output, { type: 'function_call_output', call_id: call.call_id, output: 'agent started' }] };
    const second = await send(provider, next, stream);
    expect(second.status, second.body).toBe(200);
    expect(second.answer).toMatchObject({ text: 'Tool multi_agent_v1__spawn_agent returned: agent started', stop: 'end', toolCalls: [] });
  });
});
