import { parseAnswerDirectives, parseDirective } from '@aigw/emulators';
import { describe, expect, it } from 'vitest';
import { agentTurnBody } from './agent-turn-body.js';

type Block = Record<string, unknown>;
type Message = { role: string; content: Block[] };

const DIRECTIVE = '[emu chunks=20 chunk_delay_ms=10 tool=none]';
const body = agentTurnBody({ model: 'claude-sonnet-4-5', directive: DIRECTIVE });
const messages = body['messages'] as Message[];

describe('agentTurnBody', () => {
  it('is about 100 KB of JSON and the same bytes every time', () => {
    const json = JSON.stringify(body);
    expect(Buffer.byteLength(json)).toBeGreaterThanOrEqual(95_000);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(105_000);
    expect(JSON.stringify(agentTurnBody({ model: 'claude-sonnet-4-5', directive: DIRECTIVE }))).toBe(json);
  });

  it('is shaped like a Claude Code turn: cached system blocks, 20 tools, streamed, a user id', () => {
    expect(body).toMatchObject({ model: 'claude-sonnet-4-5', stream: true, max_tokens: expect.any(Number), metadata: { user_id: expect.any(String) } });
    const system = body['system'] as Block[];
    expect(system.at(-1)).toMatchObject({ type: 'text', cache_control: { type: 'ephemeral' } });
    const tools = body['tools'] as Block[];
    expect(tools).toHaveLength(20);
    expect(tools.map((t) => t['name'])).toEqual(expect.arrayContaining(['Bash', 'Read', 'Edit', 'Write', 'Glob', 'Grep', 'WebFetch', 'TodoWrite']));
    for (const tool of tools) expect(tool['input_schema']).toMatchObject({ type: 'object', properties: expect.any(Object) });
  });

  it('carries 40 prior turns of tool calls, each answered by a tool_result of varied text', () => {
    const prior = messages.slice(1, 41);
    const uses = prior.filter((m) => m.role === 'assistant').flatMap((m) => m.content.filter((b) => b['type'] === 'tool_use'));
    const results = prior.filter((m) => m.role === 'user').flatMap((m) => m.content.filter((b) => b['type'] === 'tool_result'));
    expect(uses).toHaveLength(20);
    expect(results.map((r) => r['tool_use_id'])).toEqual(uses.map((u) => u['id']));
    for (const use of uses) expect(use['id']).toMatch(/^toolu_/);
    for (const result of results) {
      const text = result['content'] as string;
      expect(new Set(text).size).toBeGreaterThan(30);
      expect(text.split('\n').length).toBeGreaterThan(5);
    }
  });

  it('ends with a user text message whose directive the emulator reads', () => {
    const last = messages.at(-1) as Message;
    expect(last.role).toBe('user');
    const text = last.content.map((b) => b['text']).join('');
    expect(parseDirective(text)).toEqual({ chunks: 20, chunkDelayMs: 10 });
    expect(parseAnswerDirectives(text)).toEqual({ tool: 'none' });
  });
});
