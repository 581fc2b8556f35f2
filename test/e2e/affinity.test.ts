import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccounts, type DemoAccount } from './support/backends.js';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, chat, inBatches, openaiBody, post, type HttpResult } from './support/http.js';

// DESIGN §8, issue 12 item 8: one conversation stays on one account while that account is healthy, across
// selector replicas, keyed by what the client sends; new conversations still rotate exactly; an account that
// cools down hands its conversations on. Seen through the request log (account, affinity and cached input tokens
// per request) and the upstream emulator (which credentials reached it; it answers like a provider's per-account
// prompt cache here).

let ctx: E2eContext;
let accounts: DemoAccount[];

const expectOk = (response: HttpResult) => expect(response.status, response.text).toBe(200);

interface LoggedTurn {
  requestId: string;
  accountId: number | null;
  affinity: string | null;
  attempts: number;
  cachedTokens: number;
}

/** The request-log rows of `requestIds`, in that order, once the logging service has written them all. */
async function logged(requestIds: string[]): Promise<LoggedTurn[]> {
  return eventually(async () => {
    const rows = await ctx.prisma.requestLog.findMany({
      where: { requestId: { in: requestIds } },
      select: { requestId: true, accountId: true, affinity: true, attempts: true, cachedTokens: true },
    });
    if (rows.length < requestIds.length) throw new Error(`${rows.length} of ${requestIds.length} request logs written`);
    const byId = new Map(rows.map((row) => [row.requestId, row]));
    return requestIds.map((id) => byId.get(id)!);
  });
}

/** Claude Code as it talks: its session header and metadata, system blocks, the cache breakpoint on the newest turn. */
function claudeCode(session: string, model: string) {
  const messages: { role: string; content: { type: string; text: string; cache_control?: { type: string } }[] }[] = [];
  return async (text: string): Promise<HttpResult> => {
    for (const message of messages) for (const block of message.content) delete block.cache_control;
    messages.push({ role: 'user', content: [{ type: 'text', text, cache_control: { type: 'ephemeral' } }] });
    const body = {
      model,
      max_tokens: 1024,
      stream: true,
      system: [{ type: 'text', text: 'You are Claude Code, an interactive CLI tool.', cache_control: { type: 'ephemeral' } }],
      messages,
      metadata: { user_id: JSON.stringify({ device_id: 'device-1', account_uuid: '', session_id: session }) },
    };
    const response = await post(ctx.stack, '/v1/messages?beta=true', body, { apiKey: ctx.stack.demoKey }, {
      'anthropic-version': '2023-06-01',
      'x-claude-code-session-id': session,
    });
    messages.push({ role: 'assistant', content: [{ type: 'text', text: `answer to ${text}` }] });
    return response;
  };
}

/** A chat app on the OpenAI SDK: no session id at all, only the growing conversation. */
function chatApp(model: string, opening: string) {
  const messages: { role: string; content: string }[] = [{ role: 'system', content: 'You are a helpful assistant.' }];
  let first = true;
  return async (text: string): Promise<HttpResult> => {
    messages.push({ role: 'user', content: first ? opening : text });
    first = false;
    const response = await chat(ctx.stack, { model, messages });
    messages.push({ role: 'assistant', content: `answer to ${text}` });
    return response;
  };
}

/** Sends `turns` turns of a conversation one after another; the request ids in order. */
async function converse(send: (text: string) => Promise<HttpResult>, turns: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let turn = 0; turn < turns; turn++) {
    const response = await send(`${label} turn ${turn}`);
    expectOk(response);
    ids.push(response.requestId);
  }
  return ids;
}

const credentialsFor = (model: string) => ctx.stack.emulators.upstream.requests().filter((r) => r.model === model && r.status === 200).map((r) => r.credential);

beforeAll(async () => {
  ctx = await startE2eStack('affinity', { replicas: { selector: 2 }, emulators: { upstreamPromptCache: true } });
  accounts = (await loadAccounts(ctx)).filter((account) => account.provider === 'antigravity');
  expect(accounts).toHaveLength(3);
  expect(ctx.stack.grpcAddresses.selector).toHaveLength(2);
});

afterAll(async () => {
  await ctx?.teardown();
});

describe('session affinity (selector ×2)', () => {
  it('two clients holding 10-turn conversations at once each stay on one account', async () => {
    const model = 'claude-affinity-turns';
    const [agent, app] = await Promise.all([
      converse(claudeCode('5f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f', model), 10, 'agent'),
      converse(chatApp(model, 'Plan a week in Lisbon'), 10, 'app'),
    ]);
    const agentTurns = await logged(agent);
    const appTurns = await logged(app);
    for (const turns of [agentTurns, appTurns]) {
      expect(new Set(turns.map((t) => t.accountId)).size, JSON.stringify(turns)).toBe(1);
      expect(turns.map((t) => t.affinity)).toEqual(['new_binding', ...Array(9).fill('hit')]);
      // What the user notices: from the second turn on, the upstream reads the conversation so far from its cache.
      expect(turns[0]!.cachedTokens).toBe(0);
      for (const [turn, logged] of turns.entries()) if (turn > 0) expect(logged.cachedTokens, `turn ${turn}`).toBeGreaterThan(turns[turn - 1]!.cachedTokens);
    }
    // Two new conversations take consecutive places in the rotation: two different accounts.
    expect(agentTurns[0]!.accountId).not.toBe(appTurns[0]!.accountId);
    // Upstream saw 20 calls from exactly the two accounts (a rotation would have used all three).
    const seen = credentialsFor(model);
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(2);
  });

  it('30 new conversations over 3 accounts still split 10/10/10', async () => {
    const model = 'claude-affinity-new';
    const responses = await inBatches(30, 10, (i) => chat(ctx.stack, openaiBody(model, `conversation number ${i}`)));
    responses.forEach(expectOk);
    const turns = await logged(responses.map((r) => r.requestId));
    expect(new Set(turns.map((t) => t.affinity))).toEqual(new Set(['new_binding']));
    const perAccount = accounts.map((account) => turns.filter((t) => t.accountId === account.id).length);
    expect(perAccount).toEqual([10, 10, 10]);
    const seen = credentialsFor(model);
    expect([...new Set(seen)].map((credential) => seen.filter((c) => c === credential).length)).toEqual([10, 10, 10]);
  });

  it('an account that cools down hands its conversations on, and they stay where they moved', async () => {
    const model = 'claude-affinity-cool';
    // Four new conversations in rotation: the first and the fourth share an account.
    const conversations = ['first', 'second', 'third', 'fourth'].map((name) => chatApp(model, `${name} conversation`));
    const openings: string[] = [];
    for (const [i, send] of conversations.entries()) openings.push(...(await converse(send, 1, `c${i}`)));
    const home = (await logged(openings)).map((t) => t.accountId);
    expect(new Set(home.slice(0, 3)).size).toBe(3);
    expect(home[3]).toBe(home[0]);
    const shared = home[0];
    const [a, b] = [0, 3];

    // The shared account answers the next call with 429 Retry-After 60: the request fails over, the account cools down.
    ctx.stack.emulators.upstream.script({ match: { model }, status: 429, retryAfterSeconds: 60, times: 1 });
    const [failedOver] = await logged(await converse(conversations[a!]!, 1, `c${a} after`));
    expect(failedOver).toMatchObject({ affinity: 'rebound', attempts: 2 });
    expect(failedOver!.accountId).not.toBe(shared);
    // The other conversation on it moves at its next turn without even trying it.
    const [moved] = await logged(await converse(conversations[b!]!, 1, `c${b} after`));
    expect(moved).toMatchObject({ affinity: 'rebound', attempts: 1 });
    expect(moved!.accountId).not.toBe(shared);

    // Next turns: the moved conversations stay on their new accounts, the others never moved.
    const later = await Promise.all(conversations.map((send, i) => converse(send, 3, `c${i} later`)));
    const expectedHome = home.map((id, i) => (i === a ? failedOver!.accountId : i === b ? moved!.accountId : id));
    for (const [i, ids] of later.entries()) {
      const turns = await logged(ids);
      expect(turns.map((t) => [t.accountId, t.affinity]), `conversation ${i}`).toEqual(Array(3).fill([expectedHome[i], 'hit']));
      expect(turns.every((t) => t.cachedTokens > 0)).toBe(true);
      // A moved conversation paid one cache miss on its new account (at most the system prompt others share was
      // cached there); from then on its turns read the whole conversation from that account's cache again.
      if (i === a) expect(turns[0]!.cachedTokens).toBeGreaterThan(failedOver!.cachedTokens);
      if (i === b) expect(turns[0]!.cachedTokens).toBeGreaterThan(moved!.cachedTokens);
    }
  });

  it('is configured per route: a route with session affinity off rotates every turn', async () => {
    const created = await admin(ctx.stack, 'POST', '/routes', { pattern: 'rotating-*', provider: 'antigravity', upstreamModel: 'claude-rotating', sessionAffinity: false });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ sessionAffinity: false });
    const send = chatApp('rotating-model', 'one conversation');
    // The new route reaches ingress through a config-change event.
    await eventually(async () => expectOk(await send('probe')));
    const turns = await logged(await converse(send, 6, 'rotating'));
    expect(new Set(turns.map((t) => t.affinity))).toEqual(new Set([null]));
    expect(new Set(turns.map((t) => t.accountId)).size).toBe(3);
  });
});
