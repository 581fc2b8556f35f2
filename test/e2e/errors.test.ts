import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccounts } from './support/backends.js';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, anthropicBody, get, openaiBody, post, type Credential, type HttpResult } from './support/http.js';
import { findLeaks, knownSecrets } from './support/secrets.js';

// DESIGN §2 client API and §5: bad input gets a clear 4xx in the client's own protocol, never a crash,
// a hang or a 500; the gateway stays up and ready afterwards.

type Protocol = 'openai' | 'anthropic';

let ctx: E2eContext;

const PATHS: Record<Protocol, string> = { openai: '/v1/chat/completions', anthropic: '/v1/messages' };
const body = (protocol: Protocol, model: string) => (protocol === 'openai' ? openaiBody(model) : anthropicBody(model));
/** Anthropic's documented error type per status. */
const ANTHROPIC_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 404: 'not_found_error' };

function send(protocol: Protocol, payload: unknown, credential?: Credential): Promise<HttpResult> {
  const key = credential ?? (protocol === 'openai' ? { bearer: ctx.stack.demoKey } : { apiKey: ctx.stack.demoKey });
  return post(ctx.stack, PATHS[protocol], payload, key, protocol === 'anthropic' ? { 'anthropic-version': '2023-06-01' } : {});
}

/** Asserts status and the protocol's error shape; returns the error object for further checks. */
function expectError(protocol: Protocol, response: HttpResult, status: number): Record<string, unknown> {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  expect(response.requestId).not.toBe('');
  expect(response.text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  const json = response.json as Record<string, unknown>;
  if (protocol === 'openai') {
    const error = json['error'] as Record<string, unknown>;
    expect(error, response.text).toEqual(expect.objectContaining({ message: expect.any(String), type: expect.any(String) }));
    expect(String(error['message'])).not.toBe('');
    if (status === 400) expect(error['type']).toBe('invalid_request_error');
    return error;
  }
  expect(json['type'], response.text).toBe('error');
  const error = json['error'] as Record<string, unknown>;
  expect(error, response.text).toEqual(expect.objectContaining({ type: ANTHROPIC_TYPES[status], message: expect.any(String) }));
  expect(String(error['message'])).not.toBe('');
  return error;
}

beforeAll(async () => {
  ctx = await startE2eStack('errors');
});

afterAll(async () => {
  await ctx?.teardown();
});

describe.each<Protocol>(['openai', 'anthropic'])('errors in the %s protocol', (protocol) => {
  it('malformed JSON → 400', async () => {
    expectError(protocol, await send(protocol, '{"model": "claude-sonnet-4-5", "messages": ['), 400);
  });

  it('a JSON body that is not an object → 400', async () => {
    expectError(protocol, await send(protocol, '[1, 2, 3]'), 400);
  });

  it('missing model → 400', async () => {
    const { model: _model, ...withoutModel } = body(protocol, 'claude-sonnet-4-5');
    expectError(protocol, await send(protocol, withoutModel), 400);
  });

  it('missing messages → 400', async () => {
    const { messages: _messages, ...withoutMessages } = body(protocol, 'claude-sonnet-4-5');
    expectError(protocol, await send(protocol, withoutMessages), 400);
  });

  it('a role the protocol does not have → 400, translated or (OpenAI to gpt-*) passed through to an upstream that refuses it', async () => {
    for (const model of protocol === 'openai' ? ['claude-sonnet-4-5', 'gpt-4o-mini'] : ['claude-sonnet-4-5']) {
      const request = body(protocol, model);
      const error = expectError(protocol, await send(protocol, { ...request, messages: [{ role: 'wizard', content: 'Hello there' }] }), 400);
      expect(String(error['message'])).toMatch(/wizard|role/);
    }
  });

  it('unknown model → 404', async () => {
    const error = expectError(protocol, await send(protocol, body(protocol, 'no-such-model-anywhere')), 404);
    if (protocol === 'openai') expect(error['code']).toBe('model_not_found');
  });

  it('bad key → 401', async () => {
    const wrong = 'aigw-this-key-does-not-exist-0123456789';
    expectError(protocol, await send(protocol, body(protocol, 'claude-sonnet-4-5'), protocol === 'openai' ? { bearer: wrong } : { apiKey: wrong }), 401);
  });

  it('missing key → 401', async () => {
    expectError(protocol, await send(protocol, body(protocol, 'claude-sonnet-4-5'), 'none'), 401);
  });

  it('a request that is fine gets 200 (the errors above are about the input)', async () => {
    const response = await send(protocol, body(protocol, 'claude-sonnet-4-5'));
    expect(response.status, response.text).toBe(200);
  });
});

describe('a provider with no active account', () => {
  it('answers 404 in both protocols once its only account is deactivated', async () => {
    expect((await send('openai', body('openai', 'glm-4.6'))).status).toBe(200);
    const glm = (await loadAccounts(ctx)).filter((account) => account.provider === 'glm');
    expect(glm).toHaveLength(1);
    const patched = await admin(ctx.stack, 'PATCH', `/accounts/${glm[0]!.id}`, { isActive: false });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.text).not.toContain('authData');

    // Selector refreshes its account cache on the config-change message.
    await eventually(async () => expect((await send('openai', body('openai', 'glm-4.6'))).status).toBe(404));
    expectError('openai', await send('openai', body('openai', 'glm-4.6')), 404);
    expectError('anthropic', await send('anthropic', body('anthropic', 'glm-4.6')), 404);
  });
});

describe('after all the bad input', () => {
  it('every service is still up and the gateway is ready', async () => {
    for (const name of ['selector', 'auth', 'provider-call', 'logging', 'ingress'] as const) {
      const service = ctx.stack.service(name);
      expect(service.running, name).toBe(true);
      expect(() => process.kill(service.pid ?? -1, 0), name).not.toThrow();
    }
    const ready = await get(ctx.stack, '/readyz');
    expect(ready.status, ready.text).toBe(200);
    expect((await get(ctx.stack, '/healthz')).status).toBe(200);
  });

  it('no credential appears in any log line of any service', async () => {
    const secrets = await knownSecrets(ctx);
    expect(findLeaks(ctx.stack.logs(), secrets)).toEqual([]);
  });
});
