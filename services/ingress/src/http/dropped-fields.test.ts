import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fakeBackends, framerFor, okResponse } from '../../test/support/fake-backends.js';
import { fakeServerDeps, rule, TEST_KEY } from '../../test/support/fake-deps.js';
import { createServer } from '../server.js';

const auth = { authorization: `Bearer ${TEST_KEY}` };
const requests = [
  { name: 'OpenAI', path: '/v1/chat/completions', body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] } },
  { name: 'Anthropic', path: '/v1/messages', body: { model: 'claude-sonnet-4', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] } },
  { name: 'Gemini', path: '/v1beta/models/gemini-2.5-flash:generateContent', body: { contents: [{ parts: [{ text: 'hi' }] }] } },
];
const streams = [
  { name: 'OpenAI', path: '/v1/chat/completions', body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true } },
  { name: 'Anthropic', path: '/v1/messages', body: { model: 'claude-sonnet-4', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], stream: true } },
  { name: 'Gemini SSE', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', body: { contents: [{ parts: [{ text: 'hi' }] }] } },
  { name: 'Gemini JSON array', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent', body: { contents: [{ parts: [{ text: 'hi' }] }] } },
];
const dropped = ['tools[0].function.strict', 'logprobs'];

async function app() {
  const fake = fakeBackends({
    invoke: () => okResponse({ ok: true }, { droppedFields: dropped }),
    stream: (request) => {
      const framer = framerFor(request);
      return [
        { start: { status: 200, proxyId: 0, upstreamLatencyMs: 1, droppedFields: dropped } },
        { data: Buffer.from(framer.event('{"n":1}') + framer.close()) },
      ];
    },
  });
  const deps = await fakeServerDeps({ backends: fake.backends, routes: [rule('gpt-*'), rule('claude-*', { id: 2 }), rule('gemini-*', { id: 3 })] });
  return { app: createServer(deps.deps), published: deps.published };
}

describe('fields provider-call could not carry', () => {
  it.each(requests)('are named in x-aigw-dropped and the log event ($name)', async ({ path, body }) => {
    const { app: server, published } = await app();
    const res = await request(server).post(path).set(auth).send(body);
    expect(res.status).toBe(200);
    expect(res.headers['x-aigw-dropped']).toBe('tools[0].function.strict,logprobs');
    expect(published[0]!.droppedFields).toEqual(dropped);
  });

  it.each(streams)('are named in the headers of a stream and its log event ($name)', async ({ path, body }) => {
    const { app: server, published } = await app();
    const res = await request(server).post(path).set(auth).send(body);
    expect(res.status).toBe(200);
    expect(res.headers['x-aigw-dropped']).toBe('tools[0].function.strict,logprobs');
    expect(published[0]!.droppedFields).toEqual(dropped);
  });

  it('leave no header when nothing was dropped', async () => {
    const deps = await fakeServerDeps();
    const res = await request(createServer(deps.deps)).post('/v1/chat/completions').set(auth).send({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.headers['x-aigw-dropped']).toBeUndefined();
    expect(deps.published[0]!.droppedFields).toEqual([]);
  });
});
