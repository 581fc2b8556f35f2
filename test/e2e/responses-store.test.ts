import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { admin, post, request, type HttpResult } from './support/http.js';
import { parseSse } from './support/sse.js';

// Issue 13: the Responses API's stored responses through the whole stack. A response is created, continued
// by previous_response_id (the upstream emulator counts every input word it got, so the usage of the second
// turn shows the whole conversation arrived), fetched, listed and deleted; a second client key (made with the
// admin API) reaches none of the first key's responses; store:false keeps nothing; an item_reference
// resolves. The emulator counts words of all input text (usage.input_tokens), and answers deterministically.

let ctx: E2eContext;
let otherKey: string;

beforeAll(async () => {
  ctx = await startE2eStack('responses_store');
  const created = await admin(ctx.stack, 'POST', '/keys', { name: 'second tenant' });
  expect(created.status, created.text).toBe(201);
  otherKey = (created.json as { key: string }).key;
  // The demo's OpenAI provider that speaks the Responses API upstream: the client's request passes through (with
  // the continued conversation in place of previous_response_id, which the upstream never saw).
  const route = await admin(ctx.stack, 'POST', '/routes', { pattern: 'passthru-*', provider: 'openai-responses', upstreamModel: 'gpt-5-codex' });
  expect(route.status, route.text).toBe(201);
}, 120_000);

afterAll(async () => {
  await ctx?.teardown();
});

interface ResponseObject {
  id: string;
  object: string;
  status: string;
  previous_response_id?: string | null;
  output: { id: string; type: string; role?: string; content?: { type: string; text: string }[] }[];
  usage: { input_tokens: number; output_tokens: number };
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const mine = () => ({ bearer: ctx.stack.demoKey });
const theirs = () => ({ bearer: otherKey });

/** POST /v1/responses. */
const create = (body: Record<string, unknown>, credential = mine()): Promise<HttpResult> => post(ctx.stack, '/v1/responses', body, credential);

/** GET or DELETE on a stored-response path. */
const call = (method: 'GET' | 'DELETE', path: string, credential = mine()): Promise<HttpResult> => request(ctx.stack, method, path, credential);

function ok(result: HttpResult): ResponseObject {
  expect(result.status, result.text).toBe(200);
  return result.json as ResponseObject;
}

/** The text of a response's assistant messages. */
const textOf = (response: ResponseObject) =>
  response.output.flatMap((item) => (item.type === 'message' ? (item.content ?? []).filter((p) => p.type === 'output_text').map((p) => p.text) : [])).join(' ');

const notFound = (id: string) => ({ error: { message: `Response with id '${id}' not found.`, type: 'invalid_request_error', param: null, code: null } });
const previousNotFound = (id: string) => ({
  error: { message: `Previous response with id '${id}' not found.`, type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' },
});

// Translated to Chat Completions (openai), to Gemini (antigravity), and passed through to a Responses upstream.
describe.each(['gpt-4o', 'claude-sonnet-4-5', 'passthru-codex'])('stored responses of %s', (model) => {
  it('are created, continued by previous_response_id with the whole conversation, fetched, listed and deleted', async () => {
    const question = 'What is the capital of France?';
    const first = ok(await create({ model, input: question, instructions: 'Answer briefly.' }));
    expect(first.id).toMatch(/^resp_[0-9a-f]{48}$/);

    const followUp = 'And the capital of Spain?';
    const second = ok(await create({ model, input: followUp, previous_response_id: first.id }));
    expect(second.id).not.toBe(first.id);
    // What reached the upstream: the first question, the first answer and the follow-up (no instructions:
    // OpenAI does not carry them over either).
    expect(second.usage.input_tokens).toBe(words(question) + words(textOf(first)) + words(followUp));

    const fetched = await call('GET', `/v1/responses/${second.id}`);
    expect(fetched.status, fetched.text).toBe(200);
    expect(fetched.json).toMatchObject({ id: second.id, object: 'response', previous_response_id: first.id, output: second.output });

    const listed = await call('GET', `/v1/responses/${second.id}/input_items`);
    expect(listed.status, listed.text).toBe(200);
    const list = listed.json as { object: string; data: { id: string; role: string; content: { text: string }[] }[]; first_id: string; last_id: string; has_more: boolean };
    expect(list).toMatchObject({ object: 'list', has_more: false });
    // Newest first: the follow-up, the first answer, the first question.
    expect(list.data.map((item) => [item.role, item.content[0]?.text])).toEqual([
      ['user', followUp],
      ['assistant', textOf(first)],
      ['user', question],
    ]);
    expect([list.first_id, list.last_id]).toEqual([list.data[0]!.id, list.data[2]!.id]);

    const deleted = await call('DELETE', `/v1/responses/${second.id}`);
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.json).toEqual({ id: second.id, object: 'response', deleted: true });
    expect((await call('GET', `/v1/responses/${second.id}`)).json).toEqual(notFound(second.id));
    // The first turn is still there.
    expect((await call('GET', `/v1/responses/${first.id}`)).status).toBe(200);
  });
});

it('passes the continued conversation through to a Responses upstream, which never sees previous_response_id', () => {
  const reached = ctx.stack.emulators.upstream.requests().filter((r) => r.model === 'gpt-5-codex');
  expect(reached.map((r) => [r.path, r.status])).toEqual([
    ['/v1/responses', 200],
    ['/v1/responses', 200],
  ]);
});

describe('stored responses', () => {
  it('keeps a streamed response from its final event, so it can be fetched and continued at once', async () => {
    const streamed = await create({ model: 'gpt-4o', input: 'Tell me a story', stream: true });
    expect(streamed.status, streamed.text).toBe(200);
    const completed = parseSse(streamed.text).find((event) => event.event === 'response.completed');
    expect(completed, streamed.text).toBeDefined();
    const response = (JSON.parse(completed!.data) as { response: ResponseObject }).response;
    expect((await call('GET', `/v1/responses/${response.id}`)).status).toBe(200);
    const next = ok(await create({ model: 'gpt-4o', input: 'Go on', previous_response_id: response.id }));
    expect(next.usage.input_tokens).toBe(words('Tell me a story') + words(textOf(response)) + words('Go on'));
  });

  it('are another key’s business only: 404 on GET, DELETE and input_items, previous_response_not_found on continuing', async () => {
    const secret = ok(await create({ model: 'gpt-4o', input: 'my secret plan' }));
    expect((await call('GET', `/v1/responses/${secret.id}`, theirs())).json).toEqual(notFound(secret.id));
    const del = await call('DELETE', `/v1/responses/${secret.id}`, theirs());
    expect([del.status, del.json]).toEqual([404, notFound(secret.id)]);
    expect((await call('GET', `/v1/responses/${secret.id}/input_items`, theirs())).status).toBe(404);
    const continued = await create({ model: 'gpt-4o', input: 'what was it?', previous_response_id: secret.id }, theirs());
    expect([continued.status, continued.json]).toEqual([400, previousNotFound(secret.id)]);
    const referenced = await create({ model: 'gpt-4o', input: [{ type: 'item_reference', id: secret.output[0]!.id }] }, theirs());
    expect(referenced.status, referenced.text).toBe(404);
    // Untouched for its own key.
    expect((await call('GET', `/v1/responses/${secret.id}`)).status).toBe(200);
  });

  it('keeps nothing for store:false', async () => {
    const unstored = ok(await create({ model: 'gpt-4o', input: 'forget this', store: false }));
    expect((await call('GET', `/v1/responses/${unstored.id}`)).json).toEqual(notFound(unstored.id));
    const continued = await create({ model: 'gpt-4o', input: 'and?', previous_response_id: unstored.id });
    expect([continued.status, continued.json]).toEqual([400, previousNotFound(unstored.id)]);
  });

  it('resolves an item_reference to a stored output item, and 404s an unknown one', async () => {
    const earlier = ok(await create({ model: 'gpt-4o', input: 'Name a colour' }));
    const message = earlier.output.find((item) => item.type === 'message')!;
    const next = ok(await create({ model: 'gpt-4o', input: [{ type: 'item_reference', id: message.id }, { role: 'user', content: 'Why that one?' }] }));
    expect(next.usage.input_tokens).toBe(words(textOf(earlier)) + words('Why that one?'));
    const unknown = await create({ model: 'gpt-4o', input: [{ type: 'item_reference', id: 'msg_unknown' }] });
    expect([unknown.status, unknown.json]).toEqual([404, { error: { message: "Item with id 'msg_unknown' not found.", type: 'invalid_request_error', param: 'input', code: null } }]);
  });
});
