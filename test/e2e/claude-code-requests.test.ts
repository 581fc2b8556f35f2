import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { post, type HttpResult } from './support/http.js';
import { parseSse } from './support/sse.js';

// Claude Code 2.1's own requests (test/fixtures/claude-code), sent as it sends them (POST
// /v1/messages?beta=true, its headers, ~76 KB) to the running gateway with the demo routes: claude-*
// goes to antigravity. Before, the mid-conversation system message got 400 `messages[1].role`.

interface Fixture {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}
const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`../fixtures/claude-code/${name}`, import.meta.url), 'utf8'));
const FIRST_TURN = fixture('first-turn.json');
const TOOL_LOOP = fixture('tool-loop-turn-3.json');

let ctx: E2eContext;
beforeAll(async () => {
  ctx = await startE2eStack('claude_code');
});
afterAll(async () => {
  await ctx?.teardown();
});

/** Claude Code's request with the demo key in place of its own; content-length and host are fetch's to set. */
function send(request: Fixture, stream: boolean): Promise<HttpResult> {
  const headers: Record<string, string> = { ...request.headers, 'x-api-key': ctx.stack.demoKey };
  delete headers['accept-encoding'];
  return post(ctx.stack, request.url, { ...request.body, stream }, 'none', headers);
}

const dropped = (response: HttpResult) => (response.headers.get('x-aigw-dropped') ?? '').split(',').map((s) => s.trim());

describe('Claude Code → the demo gateway (claude-* on antigravity)', () => {
  it('answers its first request, which ends on a system message, with a tool call, whole and streamed', async () => {
    expect(FIRST_TURN.url).toBe('/v1/messages?beta=true');
    const whole = await send(FIRST_TURN, false);
    expect(whole.status, whole.text).toBe(200);
    expect(whole.json).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'tool_use', content: expect.arrayContaining([expect.objectContaining({ type: 'tool_use', name: 'Agent' })]) });
    expect(dropped(whole)).toContain('system_message:user_turn');

    const streamed = await send(FIRST_TURN, true);
    expect(streamed.status, streamed.text).toBe(200);
    const events = parseSse(streamed.text);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    const start = JSON.parse(events[0]?.data ?? '{}').message.usage;
    const usage = (whole.json as { usage: { input_tokens: number } }).usage;
    // message_start carries the prompt's real size, the same the whole answer reports.
    expect(start.input_tokens).toBe(usage.input_tokens);
    expect(start.input_tokens).toBeGreaterThan(1000);
  });

  it('answers from a tool result that holds an image, after signed thinking', async () => {
    for (const stream of [false, true]) {
      const response = await send(TOOL_LOOP, stream);
      expect(response.status, response.text).toBe(200);
      const text = stream
        ? parseSse(response.text)
            .map((e) => JSON.parse(e.data))
            .filter((d) => d.type === 'content_block_delta' && d.delta.type === 'text_delta')
            .map((d) => d.delta.text)
            .join('')
        : (response.json as { content: Array<{ type: string; text?: string }> }).content.filter((b) => b.type === 'text').map((b) => b.text).join('');
      expect(text).toBe('Tool Read returned:  [1 image]');
    }
  });
});
