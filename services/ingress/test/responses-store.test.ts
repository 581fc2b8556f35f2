import { randomBytes } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { SSE_FRAMING } from '@aigw/formats';
import type { InvokeRequest } from '@aigw/proto';
import { redisKeys, createRedis, type RedisClient } from '@aigw/redis';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisResponseStore } from '../src/responses/redis-response-store.js';
import type { ResponseStore } from '../src/responses/response-store.js';
import type { ResponseStoreMetrics } from '../src/responses/response-store-metrics.js';
import { createServer } from '../src/server.js';
import { fakeBackends, okResponse } from './support/fake-backends.js';
import { fakeServerDeps } from './support/fake-deps.js';

// POST /v1/responses and the stored-response routes through ingress's HTTP layer, with the response store in
// the real Redis (own key prefix); only the gRPC backends are fakes, answering as provider-call would: a
// response object named by InvokeRequest.response_id.

const KEY_A = 'aigw-key-a';
const KEY_B = 'aigw-key-b';
const a = { authorization: `Bearer ${KEY_A}` };
const b = { authorization: `Bearer ${KEY_B}` };

/** The answer provider-call gives for turn `n`: one assistant message, named by the chosen id. */
function answerFor(req: InvokeRequest, n: number) {
  return {
    id: req.responseId,
    object: 'response',
    status: 'completed',
    model: 'gpt-4o',
    previous_response_id: null,
    output: [{ id: `msg_turn${n}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `answer ${n}`, annotations: [] }] }],
  };
}

function streamOf(req: InvokeRequest, n: number) {
  const response = answerFor(req, n);
  const events = [
    { event: 'response.created', data: JSON.stringify({ type: 'response.created', response: { ...response, status: 'in_progress', output: [] } }) },
    { event: 'response.output_text.delta', data: JSON.stringify({ type: 'response.output_text.delta', delta: `answer ${n}` }) },
    { event: 'response.completed', data: JSON.stringify({ type: 'response.completed', response }) },
  ];
  return [
    { start: { status: 200, proxyId: 0, upstreamLatencyMs: 1, droppedFields: [] } },
    // The final event split across two chunks, as bytes may arrive.
    { data: Buffer.from(events.slice(0, 2).map((e) => SSE_FRAMING.event(e, 1).toString()).join('') + SSE_FRAMING.event(events[2]!, 1).toString().slice(0, 40)) },
    { data: Buffer.from(SSE_FRAMING.event(events[2]!, 1).toString().slice(40)) },
  ];
}

const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const sentBody = (req: InvokeRequest | undefined) => JSON.parse(Buffer.from(req!.body).toString('utf8')) as Record<string, unknown>;

let redis: RedisClient;
let store: RedisResponseStore;
const counted: string[] = [];
const metrics: ResponseStoreMetrics = { failed: (op) => counted.push(`failed:${op}`), notStored: (reason) => counted.push(`not_stored:${reason}`) };

beforeAll(() => {
  redis = createRedis('redis://127.0.0.1:6379', { keyPrefix: `test:responses:${randomBytes(6).toString('hex')}:` });
  store = new RedisResponseStore(redis, { ttlSeconds: 120, maxBytes: 64 * 1024, timeoutMs: 2_000 });
});

afterAll(async () => {
  await redis.quit();
});

async function server(storeOverride?: ResponseStore) {
  const fake = fakeBackends({ invoke: (req, n) => okResponse(answerFor(req, n)), stream: streamOf });
  const keys = { [KEY_A]: { id: 101, rateLimitPerMin: null, revoked: false }, [KEY_B]: { id: 102, rateLimitPerMin: null, revoked: false } };
  const built = await fakeServerDeps({ backends: fake.backends, keys });
  const app: RequestListener = createServer({ ...built.deps, responseStore: { store: storeOverride ?? store, metrics } });
  return { app, calls: fake.calls };
}

let app: RequestListener;
let calls: ReturnType<typeof fakeBackends>['calls'];

beforeEach(async () => {
  counted.length = 0;
  ({ app, calls } = await server());
});

const create = (body: Record<string, unknown>, auth = a) => request(app).post('/v1/responses').set(auth).send({ model: 'gpt-4o', ...body });

describe('POST /v1/responses with the store', () => {
  it('names the answer by the id ingress chose and stores it as the client got it', async () => {
    const res = await create({ input: 'capital of France?' }).expect(200);
    expect(res.body.id).toBe(calls.invokes[0]!.responseId);
    expect(res.body.id).toMatch(/^resp_[0-9a-f]{48}$/);
    const got = await request(app).get(`/v1/responses/${res.body.id}`).set(a).expect(200);
    expect(got.body).toEqual(res.body);
  });

  it('keeps a stored response and the index of its items only for the store’s time to live', async () => {
    const res = await create({ input: 'capital of Spain?' }).expect(200);
    const itemId = (res.body.output as { id: string }[])[0]!.id;
    const ttls = await Promise.all([redis.ttl(redisKeys.storedResponse(101, res.body.id)), redis.ttl(redisKeys.storedResponseItem(101, itemId))]);
    for (const ttl of ttls) expect(ttl).toBeGreaterThan(100);
    for (const ttl of ttls) expect(ttl).toBeLessThanOrEqual(120);
  });

  it('continues by previous_response_id: the whole conversation goes upstream, without the id, in one new body', async () => {
    const first = await create({ input: 'capital of France?', instructions: 'be brief' }).expect(200);
    const second = await create({ input: 'and of Spain?', previous_response_id: first.body.id }).expect(200);
    const sent = sentBody(calls.invokes[1]);
    expect(sent.previous_response_id).toBeUndefined();
    // instructions are not carried over (OpenAI does not either).
    expect(sent.instructions).toBeUndefined();
    expect(sent.input).toEqual([user('capital of France?'), first.body.output[0], user('and of Spain?')]);
    // The stored copy names what it continued, as OpenAI's does.
    const got = await request(app).get(`/v1/responses/${second.body.id}`).set(a).expect(200);
    expect(got.body.previous_response_id).toBe(first.body.id);
    // Both turns are one conversation to session affinity.
    expect(calls.select[1]!.affinityKey).toBe(calls.select[0]!.affinityKey);
    const third = await create({ input: [{ role: 'user', content: 'and of Italy?' }], previous_response_id: second.body.id, instructions: 'changed' }).expect(200);
    expect((sentBody(calls.invokes[2]).input as unknown[]).length).toBe(5);
    expect(calls.select[2]!.affinityKey).toBe(calls.select[0]!.affinityKey);
    expect(third.body.id).not.toBe(second.body.id);
  });

  it('lists a response’s input items as OpenAI does (newest first, cursor fields, limit/order/after)', async () => {
    const first = await create({ input: 'one' }).expect(200);
    const second = await create({ input: 'two', previous_response_id: first.body.id }).expect(200);
    const all = await request(app).get(`/v1/responses/${second.body.id}/input_items`).set(a).expect(200);
    expect(all.body).toMatchObject({ object: 'list', has_more: false });
    expect(all.body.data.map((item: { id: string }) => item.id)).toEqual([expect.stringMatching(/^msg_/), 'msg_turn1', expect.stringMatching(/^msg_/)]);
    expect(all.body.data[0].content).toEqual(user('two').content);
    const page = await request(app).get(`/v1/responses/${second.body.id}/input_items?order=asc&limit=1`).set(a).expect(200);
    expect(page.body).toMatchObject({ has_more: true, first_id: all.body.last_id, last_id: all.body.last_id });
    const next = await request(app).get(`/v1/responses/${second.body.id}/input_items?order=asc&limit=2&after=${page.body.last_id}`).set(a).expect(200);
    expect(next.body.data.map((item: { id: string }) => item.id)).toEqual(['msg_turn1', all.body.first_id]);
    const bad = await request(app).get(`/v1/responses/${second.body.id}/input_items?limit=1000`).set(a).expect(400);
    expect(bad.body.error).toMatchObject({ type: 'invalid_request_error', param: 'limit' });
  });

  it('resolves item_reference items from the key’s stored responses, and 404s an unknown one', async () => {
    await create({ input: 'one' }).expect(200);
    await create({ input: [user('again'), { type: 'item_reference', id: 'msg_turn1' }] }).expect(200);
    expect(sentBody(calls.invokes[1]).input).toEqual([user('again'), answerFor(calls.invokes[0]!, 1).output[0]]);
    const missing = await create({ input: [{ type: 'item_reference', id: 'msg_nope' }] }).expect(404);
    expect(missing.body).toEqual({ error: { message: "Item with id 'msg_nope' not found.", type: 'invalid_request_error', param: 'input', code: null } });
    expect(calls.invokes).toHaveLength(2);
  });

  it('keeps a streamed response from its response.completed event, before the client sees that event', async () => {
    const res = await create({ input: 'stream it', stream: true }).expect(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    const id = calls.invokes[0]!.responseId;
    expect(res.text).toContain(id);
    const got = await request(app).get(`/v1/responses/${id}`).set(a).expect(200);
    expect(got.body.output[0].content[0].text).toBe('answer 1');
    await create({ input: 'go on', previous_response_id: id, stream: true }).expect(200);
    expect(sentBody(calls.invokes[1]).input).toEqual([user('stream it'), got.body.output[0], user('go on')]);
  });

  it('stores nothing for store:false', async () => {
    const res = await create({ input: 'forget me', store: false }).expect(200);
    await request(app).get(`/v1/responses/${res.body.id}`).set(a).expect(404);
    const cont = await create({ input: 'more', previous_response_id: res.body.id }).expect(400);
    expect(cont.body.error.code).toBe('previous_response_not_found');
  });

  it('deletes a response: OpenAI’s deletion object, then 404 on every route', async () => {
    const res = await create({ input: 'temporary' }).expect(200);
    const del = await request(app).delete(`/v1/responses/${res.body.id}`).set(a).expect(200);
    expect(del.body).toEqual({ id: res.body.id, object: 'response', deleted: true });
    await request(app).get(`/v1/responses/${res.body.id}`).set(a).expect(404);
    await request(app).delete(`/v1/responses/${res.body.id}`).set(a).expect(404);
    await request(app).get(`/v1/responses/${res.body.id}/input_items`).set(a).expect(404);
  });

  it('keeps the body the client sent when nothing is continued or referenced', async () => {
    await create({ input: 'plain', store: true }).expect(200);
    expect(Buffer.from(calls.invokes[0]!.body).toString()).toBe(JSON.stringify({ model: 'gpt-4o', input: 'plain', store: true }));
  });
});

describe('one key never reaches another key’s responses', () => {
  it('answers another key’s id as unknown on GET, DELETE, input_items, previous_response_id and item_reference', async () => {
    const mine = await create({ input: 'secret' }).expect(200);
    const notFound = { error: { message: `Response with id '${mine.body.id}' not found.`, type: 'invalid_request_error', param: null, code: null } };
    expect((await request(app).get(`/v1/responses/${mine.body.id}`).set(b).expect(404)).body).toEqual(notFound);
    expect((await request(app).delete(`/v1/responses/${mine.body.id}`).set(b).expect(404)).body).toEqual(notFound);
    expect((await request(app).get(`/v1/responses/${mine.body.id}/input_items`).set(b).expect(404)).body).toEqual(notFound);
    const cont = await create({ input: 'tell me', previous_response_id: mine.body.id }, b).expect(400);
    expect(cont.body).toEqual({
      error: { message: `Previous response with id '${mine.body.id}' not found.`, type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' },
    });
    await create({ input: [{ type: 'item_reference', id: 'msg_turn1' }] }, b).expect(404);
    expect(calls.invokes).toHaveLength(1);
    // Still there for its own key.
    await request(app).get(`/v1/responses/${mine.body.id}`).set(a).expect(200);
  });

  it('needs a valid key on every stored-response route', async () => {
    await request(app).get('/v1/responses/resp_abc').expect(401);
    await request(app).delete('/v1/responses/resp_abc').set({ authorization: 'Bearer wrong' }).expect(401);
  });
});

describe('store limits and failures', () => {
  it('does not store a response over the byte cap, counts it, and still answers', async () => {
    const res = await create({ input: 'x'.repeat(70 * 1024) }).expect(200);
    await request(app).get(`/v1/responses/${res.body.id}`).set(a).expect(404);
    expect(counted).toContain('not_stored:too_large');
  });

  it('answers the client when storing fails, and says 503 (not "not found") when a continuation cannot be read', async () => {
    const broken: ResponseStore = {
      ...store,
      save: async () => {
        throw new Error('redis down');
      },
      turn: async () => {
        throw new Error('redis down');
      },
      responseJson: async () => {
        throw new Error('redis down');
      },
      input: store.input.bind(store),
      delete: store.delete.bind(store),
      items: store.items.bind(store),
    };
    ({ app, calls } = await server(broken));
    await create({ input: 'hi' }).expect(200);
    expect(counted).toContain('failed:save');
    const cont = await create({ input: 'more', previous_response_id: 'resp_abc' }).expect(503);
    expect(cont.body.error.type).toBe('server_error');
    await request(app).get('/v1/responses/resp_abc').set(a).expect(503);
  });
});
