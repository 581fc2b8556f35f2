import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { anthropicBody, chat, messages, openaiBody, type HttpResult } from './support/http.js';
import { findLeaks, knownSecrets } from './support/secrets.js';
import { parseSse } from './support/sse.js';

// DESIGN §1 step 5: a retryable upstream failure (429, 5xx) before any byte reached the client is retried on
// another account, the failing account is cooled down, attempts are bounded, and when every attempt fails
// the client gets the error in its own protocol with Retry-After. An upstream 401 makes the gateway drop
// the token and get a fresh one.

let ctx: E2eContext;

const expectOk = (response: HttpResult) => expect(response.status, response.text).toBe(200);
const recordsFor = (model: string) => ctx.stack.emulators.upstream.requests().filter((r) => r.model === model);

beforeAll(async () => {
  ctx = await startE2eStack('failover');
});

afterAll(async () => {
  await ctx?.teardown();
});

describe('failover before the first byte', () => {
  it('retries a 429 on another account and answers 200', async () => {
    const model = 'claude-failover-429';
    ctx.stack.emulators.upstream.script({ match: { model }, status: 429, retryAfterSeconds: 60, times: 1 });
    const response = await chat(ctx.stack, openaiBody(model, 'try again elsewhere'));
    expectOk(response);
    expect((response.json as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
      `Hello from ${model}: try again elsewhere`,
    );
    const [failed, served, ...rest] = recordsFor(model);
    expect(rest).toEqual([]);
    expect(failed?.status).toBe(429);
    expect(served?.status).toBe(200);
    expect(served?.credential).not.toBe(failed?.credential);

    // The request log counts both attempts.
    const row = await eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId: response.requestId } }));
    expect({ status: row.statusCode, attempts: row.attempts }).toEqual({ status: 200, attempts: 2 });

    // The account that answered 429 with Retry-After: 60 is skipped for this model from now on.
    for (let i = 0; i < 6; i++) expectOk(await chat(ctx.stack, openaiBody(model, `after ${i}`)));
    const later = recordsFor(model).slice(2);
    expect(later).toHaveLength(6);
    expect(later.filter((r) => r.credential === failed?.credential)).toEqual([]);
    expect(new Set(later.map((r) => r.credential)).size).toBe(2);
  });

  it('fails a stream over too when the upstream errors before the first byte', async () => {
    const model = 'claude-failover-stream';
    ctx.stack.emulators.upstream.script({ match: { model }, status: 503, times: 1 });
    const response = await messages(ctx.stack, anthropicBody(model, 'stream it', { stream: true }));
    expectOk(response);
    const events = parseSse(response.text);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(events.some((e) => e.event === 'error')).toBe(false);
    expect(recordsFor(model).map((r) => r.status)).toEqual([503, 200]);
  });

  it('gives up after a bounded number of attempts with the error in the client protocol and Retry-After', async () => {
    const model = 'claude-failover-exhausted';
    ctx.stack.emulators.upstream.script({ match: { model }, status: 429, retryAfterSeconds: 7 });
    try {
      const first = await chat(ctx.stack, openaiBody(model, 'no luck'));
      expect(first.status, first.text).toBe(429);
      // At most one call per account, never the same account twice.
      const tried = recordsFor(model).map((r) => r.credential);
      expect(tried.length).toBeGreaterThan(0);
      expect(tried.length).toBeLessThanOrEqual(3);
      expect(new Set(tried).size).toBe(tried.length);

      for (const response of [
        await chat(ctx.stack, openaiBody(model, 'no luck')),
        await messages(ctx.stack, anthropicBody(model, 'no luck')),
      ]) {
        expect(response.status, response.text).toBe(429);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.requestId).not.toBe('');
      }
      const openai = (await chat(ctx.stack, openaiBody(model, 'no luck'))).json as { error: { type: string; message: string } };
      expect(openai.error).toEqual(expect.objectContaining({ type: expect.any(String), message: expect.any(String) }));
      const anthropic = (await messages(ctx.stack, anthropicBody(model, 'no luck'))).json as { type: string; error: { type: string } };
      expect(anthropic).toEqual({ type: 'error', error: expect.objectContaining({ type: 'rate_limit_error', message: expect.any(String) }) });
      // Every account is cooling down after its 429 with Retry-After: 7, so later requests are not even
      // sent upstream while that lasts (at most one more round if the cooldowns ran out meanwhile).
      expect(recordsFor(model).length).toBeLessThanOrEqual(2 * tried.length);
    } finally {
      ctx.stack.emulators.upstream.clearScripts();
    }
  });

  it('after an upstream 401 drops the token and succeeds with a fresh one', async () => {
    const model = 'claude-failover-401';
    const { oauth } = ctx.stack.emulators;
    const before = oauth.refreshCount();
    ctx.stack.emulators.upstream.script({ match: { model }, status: 401, times: 1 });
    expectOk(await chat(ctx.stack, openaiBody(model, 'who am I')));
    const [rejected] = recordsFor(model);
    expect(rejected?.status).toBe(401);
    // One round over the three accounts: exactly the rejected account's token was refreshed.
    for (let i = 0; i < 3; i++) expectOk(await chat(ctx.stack, openaiBody(model, `round ${i}`)));
    expect(oauth.refreshCount()).toBe(before + 1);
    expect(recordsFor(model).slice(1).filter((r) => r.credential === rejected?.credential)).toEqual([]);
  });
});

describe('secrets', () => {
  it('no credential appears in any log line of any service', async () => {
    const secrets = await knownSecrets(ctx);
    expect(findLeaks(ctx.stack.logs(), secrets)).toEqual([]);
  });
});
