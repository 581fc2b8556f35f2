import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, anthropicBody, chat, messages, ok, openaiBody, post, type HttpResult } from './support/http.js';

// Issue 15: a Claude subscription and a ChatGPT subscription, each logged in through the OAuth emulator
// (POST /oauth/logins, the consent page, complete), serve client requests: the Claude account on the Messages
// API with the OAuth beta (the emulator refuses the bearer without it, as Anthropic does), the ChatGPT account on
// the Codex backend (streamed, unstored, with its account id), whole answers and streams, in both client formats.

let ctx: E2eContext;
type Json = Record<string, any>;

async function adminJson(method: string, path: string, body?: unknown): Promise<Json> {
  return ok(await admin(ctx.stack, method, path, body), `${method} ${path}`).json as Json;
}

/** Starts a login, approves it in the emulator's consent page, pastes the URL the browser lands on back. */
async function logIn(provider: string, kind: 'anthropic' | 'openai', label: string): Promise<Json> {
  const login = await adminJson('POST', '/oauth/logins', { provider, kind, label, egress: 'direct' });
  const consent = await fetch(login.authorizationUrl, { headers: { accept: 'text/html' }, redirect: 'manual' });
  const href = /<a id="approve" href="([^"]+)"/.exec(await consent.text())?.[1] ?? '';
  const landed = href.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  const done = await adminJson('POST', `/oauth/logins/${login.id}/complete`, { redirectUrl: landed });
  expect(done).toMatchObject({ status: 'completed', account: { provider, label, isActive: true } });
  return done;
}

/** The account that served a client request, from its request log. */
async function servedBy(result: HttpResult): Promise<number | null> {
  const row = await eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId: result.requestId } }));
  return row.accountId;
}

/** The upstream requests recorded since `mark` on a path. */
const upstreamSince = (mark: number, path: string) =>
  ctx.stack.emulators.upstream
    .requests()
    .slice(mark)
    .filter((r) => r.path === path);

let claudeAccount: number;
let chatGptAccount: number;

describe('subscription accounts (Claude and ChatGPT logins) serve requests', () => {
  beforeAll(async () => {
    ctx = await startE2eStack('subs');
    const upstream = ctx.stack.emulators.upstream.url;
    await adminJson('POST', '/providers', { name: 'claude-sub', kind: 'anthropic', baseUrl: upstream });
    await adminJson('POST', '/routes', { pattern: 'sub-claude', provider: 'claude-sub', upstreamModel: 'claude-sonnet-4-5' });
    await adminJson('POST', '/providers', { name: 'chatgpt-sub', kind: 'openai', wire: 'responses', baseUrl: `${upstream}/backend-api/codex` });
    await adminJson('POST', '/routes', { pattern: 'sub-codex', provider: 'chatgpt-sub', upstreamModel: 'gpt-5-codex' });
    await adminJson('POST', '/providers', { name: 'claude-key', kind: 'anthropic', baseUrl: upstream });
    await adminJson('POST', '/routes', { pattern: 'key-claude', provider: 'claude-key', upstreamModel: 'claude-sonnet-4-5' });
    await adminJson('POST', '/accounts', { provider: 'claude-key', label: 'api-key', authType: 'api_key', credentials: { apiKey: 'sk-ant-api03-e2e-key' }, egress: 'direct' });
    claudeAccount = (await logIn('claude-sub', 'anthropic', 'claude-max')).accountId;
    const chatGpt = await logIn('chatgpt-sub', 'openai', 'chatgpt-plus');
    expect(chatGpt.account.settings.chatgptAccountId).toEqual(expect.any(String));
    chatGptAccount = chatGpt.accountId;
  });

  afterAll(async () => {
    await ctx?.teardown();
  });

  it('a Claude subscription answers Anthropic and OpenAI clients, whole and streamed, with the OAuth beta', async () => {
    const mark = ctx.stack.emulators.upstream.requests().length;
    const results = await eventually(async () => {
      const whole = await messages(ctx.stack, anthropicBody('sub-claude', 'hello'));
      expect(whole.status, whole.text).toBe(200);
      return [whole];
    });
    const streamed = await post(ctx.stack, '/v1/messages', anthropicBody('sub-claude', 'hello', { stream: true }), { apiKey: ctx.stack.demoKey }, { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'interleaved-thinking-2025-05-14' });
    expect(streamed.status, streamed.text).toBe(200);
    expect(streamed.text).toContain('event: message_stop');
    const openAi = await chat(ctx.stack, openaiBody('sub-claude', 'hello'));
    expect(openAi.status, openAi.text).toBe(200);
    expect((openAi.json as Json).choices[0].message.content).not.toBe('');
    const openAiStream = await chat(ctx.stack, openaiBody('sub-claude', 'hello', { stream: true }));
    expect(openAiStream.status, openAiStream.text).toBe(200);
    expect(openAiStream.text).toContain('data: [DONE]');
    for (const result of [...results, streamed, openAi, openAiStream]) expect(await servedBy(result)).toBe(claudeAccount);

    const sent = upstreamSince(mark, '/v1/messages').filter((r) => r.status === 200);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    for (const request of sent) {
      expect(request.headers?.authorization).toMatch(/^Bearer /);
      expect(request.headers?.['x-api-key']).toBeUndefined();
      expect(request.headers?.['anthropic-beta']?.split(',')).toContain('oauth-2025-04-20');
    }
    // The client's own beta went along with the OAuth one.
    expect(sent.some((r) => r.headers?.['anthropic-beta'] === 'oauth-2025-04-20,interleaved-thinking-2025-05-14')).toBe(true);
  });

  it('a ChatGPT subscription answers OpenAI and Anthropic clients through the Codex backend, whole and streamed', async () => {
    const mark = ctx.stack.emulators.upstream.requests().length;
    const whole = await eventually(async () => {
      const result = await chat(ctx.stack, openaiBody('sub-codex', 'hello'));
      expect(result.status, result.text).toBe(200);
      return result;
    });
    expect((whole.json as Json).choices[0].message.content).not.toBe('');
    const streamed = await chat(ctx.stack, openaiBody('sub-codex', 'hello', { stream: true }));
    expect(streamed.status, streamed.text).toBe(200);
    expect(streamed.text).toContain('data: [DONE]');
    const anthropicWhole = await messages(ctx.stack, anthropicBody('sub-codex', 'hello'));
    expect(anthropicWhole.status, anthropicWhole.text).toBe(200);
    expect((anthropicWhole.json as Json).content[0].text).not.toBe('');
    const anthropicStream = await messages(ctx.stack, anthropicBody('sub-codex', 'hello', { stream: true }));
    expect(anthropicStream.status, anthropicStream.text).toBe(200);
    expect(anthropicStream.text).toContain('event: message_stop');
    for (const result of [whole, streamed, anthropicWhole, anthropicStream]) expect(await servedBy(result)).toBe(chatGptAccount);

    const sent = upstreamSince(mark, '/backend-api/codex/responses');
    expect(sent.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(4);
    for (const request of sent) {
      expect(request.stream).toBe(true);
      expect(request.headers).toMatchObject({ 'chatgpt-account-id': expect.any(String), 'openai-beta': 'responses=experimental', originator: 'codex_cli_rs' });
    }
  });

  it('an API-key Anthropic account still sends x-api-key and no OAuth beta', async () => {
    const mark = ctx.stack.emulators.upstream.requests().length;
    const result = await eventually(async () => {
      const answer = await messages(ctx.stack, anthropicBody('key-claude', 'hello'));
      expect(answer.status, answer.text).toBe(200);
      return answer;
    });
    expect(await servedBy(result)).not.toBe(claudeAccount);
    const [sent] = upstreamSince(mark, '/v1/messages');
    expect(sent?.headers).toMatchObject({ 'x-api-key': 'sk-ant-api03-e2e-key' });
    expect(sent?.headers?.authorization).toBeUndefined();
    expect(sent?.headers?.['anthropic-beta']).toBeUndefined();
  });
});
