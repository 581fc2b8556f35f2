import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, anthropicBody, openaiBody, post } from './support/http.js';

// DESIGN §1 step 0 (issue 14, "a client sends the same x-request-id five times"): every request gets the
// gateway's own id; the client's x-request-id is only carried as client_request_id, so reusing it can neither
// merge requests into one log row nor hide any of them.

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let ctx: E2eContext;

beforeAll(async () => {
  ctx = await startE2eStack('request_ids');
});

afterAll(async () => {
  await ctx?.teardown();
});

describe('request ids the gateway owns', () => {
  it('logs the same x-request-id sent five times as five rows, each with its own id, all found by the client id', async () => {
    const clientId = `reused-${Date.now()}`;
    const answers = await Promise.all([
      post(ctx.stack, '/v1/chat/completions', openaiBody('gpt-4o-mini', 'one'), { bearer: ctx.stack.demoKey }, { 'x-request-id': clientId }),
      post(ctx.stack, '/v1/chat/completions', openaiBody('gpt-4o-mini', 'two', { stream: true }), { bearer: ctx.stack.demoKey }, { 'x-request-id': clientId }),
      post(ctx.stack, '/v1/messages', anthropicBody('claude-haiku-4-5', 'three'), { apiKey: ctx.stack.demoKey }, { 'anthropic-version': '2023-06-01', 'x-request-id': clientId }),
      post(ctx.stack, '/v1/chat/completions', openaiBody('no-such-model-e2e', 'four'), { bearer: ctx.stack.demoKey }, { 'x-request-id': clientId }),
      post(ctx.stack, '/v1/chat/completions', openaiBody('gpt-4o-mini', 'five'), { bearer: ctx.stack.demoKey }, { 'x-request-id': clientId }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 404, 200]);
    for (const answer of answers) {
      expect(answer.requestId).toMatch(UUID_V7);
      expect(answer.headers.get('x-client-request-id')).toBe(clientId);
    }
    const ids = answers.map((a) => a.requestId);
    expect(new Set(ids).size).toBe(5);

    const rows = await eventually(
      async () => {
        const found = await ctx.prisma.requestLog.findMany({ where: { clientRequestId: clientId } });
        expect(found).toHaveLength(5);
        return found;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(rows.map((r) => r.requestId).sort()).toEqual([...ids].sort());
    expect(await ctx.prisma.requestLog.count({ where: { requestId: clientId } })).toBe(0);
    const statusById = new Map(answers.map((a) => [a.requestId, a.status]));
    for (const row of rows) expect(row.statusCode, row.requestId).toBe(statusById.get(row.requestId));

    const search = await admin(ctx.stack, 'GET', `/stats/logs?clientRequestId=${clientId}`);
    expect(search.status).toBe(200);
    const data = (search.json as { data: { requestId: string; clientRequestId: string }[] }).data;
    expect(data.map((r) => r.requestId).sort()).toEqual([...ids].sort());
    expect(new Set(data.map((r) => r.clientRequestId))).toEqual(new Set([clientId]));
  });

  it('keeps Codex CLI’s x-client-request-id as the client id, and no client id at all when none is sent or it is unsafe', async () => {
    const session = '01a25057-6f66-7f52-b86e-92c8830c14b9';
    const codex = await post(ctx.stack, '/v1/chat/completions', openaiBody('gpt-4o-mini', 'codex'), { bearer: ctx.stack.demoKey }, { 'x-client-request-id': session });
    const unsafe = await post(ctx.stack, '/v1/chat/completions', openaiBody('gpt-4o-mini', 'unsafe'), { bearer: ctx.stack.demoKey }, { 'x-request-id': 'a b<c>' });
    expect([codex.status, unsafe.status]).toEqual([200, 200]);
    expect(codex.headers.get('x-client-request-id')).toBe(session);
    expect(codex.requestId).not.toBe(session);
    expect(unsafe.headers.get('x-client-request-id')).toBeNull();
    const rows = await eventually(async () => {
      const found = await ctx.prisma.requestLog.findMany({ where: { requestId: { in: [codex.requestId, unsafe.requestId] } } });
      expect(found).toHaveLength(2);
      return found;
    });
    const clientIdOf = new Map(rows.map((r) => [r.requestId, r.clientRequestId]));
    expect([clientIdOf.get(codex.requestId), clientIdOf.get(unsafe.requestId)]).toEqual([session, null]);
  });
});
