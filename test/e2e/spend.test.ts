import type { Stack } from '@aigw/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, anthropicBody, chat, messages, ok, openaiBody, type HttpResult } from './support/http.js';

// Issue 15, spend control: a key's budget holds across two ingress replicas sharing it (each overspends by at
// most the one request it let through last), the refusal is the client protocol's own 429, every request log
// carries its cost, and the key shows its spend and usage. Cached prompt tokens are priced as cached.

// The gpt-* route's price (USD per million tokens), so that each request's cost follows from its usage.
const PRICE = { inputPerMTok: 200, cachedInputPerMTok: 20, outputPerMTok: 400 };
const BUDGET_USD = 0.05;

let ctx: E2eContext;

/** The stack as seen through one ingress replica. */
function replica(index: number): Stack {
  return { ...ctx.stack, ingressUrl: ctx.ingressUrls[index]! } as Stack;
}

/** What a logged request should cost at PRICE: the prompt's uncached part, its cached part, the answer. */
function expectedCost(row: { inputTokens: number; cachedTokens: number; outputTokens: number }): number {
  return Math.round((row.inputTokens - row.cachedTokens) * PRICE.inputPerMTok + row.cachedTokens * PRICE.cachedInputPerMTok + row.outputTokens * PRICE.outputPerMTok);
}

describe('spend control across two ingress replicas', () => {
  beforeAll(async () => {
    ctx = await startE2eStack('spend', { ingressReplicas: 2, emulators: { upstreamPromptCache: true } });
    expect(ctx.ingressUrls).toHaveLength(2);
    const routes = ok(await admin(ctx.stack, 'GET', '/routes'), 'routes').json as { data: { id: number; pattern: string }[] };
    const gpt = routes.data.find((route) => route.pattern === 'gpt-*')!;
    ok(await admin(ctx.stack, 'PATCH', `/routes/${gpt.id}`, { price: PRICE }), 'route price');
    // Both replicas reload their routing table on the change event; a request priced by the table would show.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  });

  afterAll(async () => {
    await ctx?.teardown();
  });

  it('refuses a shared key once its budget is spent, overspending by at most one request per replica', async () => {
    const key = ok(await admin(ctx.stack, 'POST', '/keys', { name: 'budgeted', maxBudget: BUDGET_USD, budgetPeriod: 'day' }), 'key').json as { id: number; key: string };
    const credential = { bearer: key.key };
    const answered: HttpResult[][] = [[], []];
    let refusal: HttpResult | undefined;
    // Each replica sends one request after another, both at once, until each is refused.
    await Promise.all(
      [0, 1].map(async (index) => {
        for (let i = 0; i < 200; i++) {
          const res = await chat(replica(index), openaiBody('gpt-4o-mini', `spend ${index}-${i} ${'word '.repeat(40)}`), credential);
          if (res.status === 429) {
            refusal ??= res;
            return;
          }
          expect(res.status, res.text).toBe(200);
          answered[index]!.push(res);
        }
        throw new Error(`replica ${index} was never refused`);
      }),
    );
    const served = answered.flat();
    expect(answered[0]!.length).toBeGreaterThan(0);
    expect(answered[1]!.length).toBeGreaterThan(0);

    // The refusal in OpenAI's shape, naming the budget and its reset.
    expect(refusal!.json).toMatchObject({ error: { type: 'insufficient_quota', code: 'budget_exceeded', message: expect.stringMatching(/budget of \$0\.05 per day .* resets at \d{4}-\d\d-\d\dT00:00:00\.000Z/) } });
    expect(Number(refusal!.headers.get('retry-after'))).toBeGreaterThan(0);
    // And in Anthropic's, on either replica.
    for (const index of [0, 1]) {
      const res = await messages(replica(index), anthropicBody('claude-sonnet-4-5'), { apiKey: key.key });
      expect(res.status).toBe(429);
      expect(res.json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('budget') } });
    }

    // Every served request is logged with its cost at the route's price.
    const rows = await eventually(async () => {
      const found = await ctx.prisma.requestLog.findMany({ where: { apiKeyId: key.id, statusCode: 200 } });
      expect(found).toHaveLength(served.length);
      return found;
    });
    for (const row of rows) expect(Number(row.costMicroUsd)).toBe(expectedCost(row));
    const costs = rows.map((row) => Number(row.costMicroUsd));
    const total = costs.reduce((a, b) => a + b, 0);
    const budget = BUDGET_USD * 1_000_000;
    expect(total).toBeGreaterThanOrEqual(budget);
    // Refused once the counter reached the budget: only the requests in flight then (one per replica) went over.
    expect(total - budget).toBeLessThanOrEqual(2 * Math.max(...costs));
    // The refused requests are logged too, at no cost.
    const refused = await ctx.prisma.requestLog.count({ where: { apiKeyId: key.id, statusCode: 429, costMicroUsd: null, model: 'gpt-4o-mini' } });
    expect(refused).toBeGreaterThanOrEqual(2);

    // The key shows its spend (the enforcing counter) and, once logged, its usage and last use.
    const shown = ok(await admin(replica(1), 'GET', `/keys/${key.id}`), 'key').json as Record<string, any>;
    expect(shown).toMatchObject({ maxBudget: BUDGET_USD, budgetPeriod: 'day', spend: { remainingUsd: 0, periodEnd: expect.any(String) } });
    expect(shown.spend.spentUsd).toBeCloseTo(total / 1_000_000, 6);
    const usage = ok(await admin(ctx.stack, 'GET', `/keys/${key.id}/usage?days=1`), 'usage').json as Record<string, any>;
    expect(usage.totals.costUsd).toBeCloseTo(total / 1_000_000, 6);
    // Refusals are logged with their model: the model's requests are the served ones and the refused ones.
    expect(usage.byModel.find((m: { model: string }) => m.model === 'gpt-4o-mini')).toMatchObject({ requests: served.length + refused });
    await eventually(async () => {
      const again = ok(await admin(ctx.stack, 'GET', `/keys/${key.id}`), 'key').json as { lastUsedAt: string | null };
      expect(again.lastUsedAt).not.toBeNull();
    });
    const byKey = ok(await admin(ctx.stack, 'GET', '/stats/usage?by=key&days=1'), 'stats').json as { data: { id: number; costUsd: number }[] };
    expect(byKey.data.find((row) => row.id === key.id)?.costUsd).toBeCloseTo(total / 1_000_000, 6);
  });

  it('prices cached prompt tokens at the cached price, end to end', async () => {
    // The same long system prompt twice from one client: the upstream's prompt cache reports it as cached the second time.
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: `cache me ${'lorem ipsum dolor sit amet '.repeat(200)}` },
        { role: 'user', content: 'What does it say?' },
      ],
    };
    const first = await chat(ctx.stack, body);
    const second = await chat(ctx.stack, body);
    expect([first.status, second.status]).toEqual([200, 200]);
    const rows = await eventually(async () => {
      const found = await ctx.prisma.requestLog.findMany({ where: { requestId: { in: [first.requestId, second.requestId] } } });
      expect(found).toHaveLength(2);
      return found;
    });
    const cached = rows.find((row) => row.cachedTokens > 0);
    expect(cached, 'the repeated prompt is reported as cached').toBeDefined();
    expect(cached!.cachedTokens).toBeLessThanOrEqual(cached!.inputTokens);
    expect(Number(cached!.costMicroUsd)).toBe(expectedCost(cached!));
    // Cheaper than the same prompt uncached: the cached part is never also counted at the full price.
    const uncached = rows.find((row) => row !== cached)!;
    expect(Number(cached!.costMicroUsd)).toBeLessThan(Number(uncached.costMicroUsd));
    const logs = ok(await admin(ctx.stack, 'GET', '/stats/logs?limit=50'), 'logs').json as { data: { requestId: string; costUsd: number | null }[] };
    expect(logs.data.find((row) => row.requestId === cached!.requestId)?.costUsd).toBeCloseTo(Number(cached!.costMicroUsd) / 1_000_000, 6);
  });
});
