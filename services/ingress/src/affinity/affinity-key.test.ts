import { describe, expect, it } from 'vitest';
import { affinityKey, affinitySource, claudeCodeSessionId } from './affinity-key.js';

const SESSION = '54c1eb09-bc4c-4d2f-98eb-6d2ab2d5e2fe';

/** A Claude Code turn: system blocks, the conversation so far, the cache breakpoint on the latest message. */
function claudeCodeTurn(turn: number, userId?: string) {
  const messages: Record<string, unknown>[] = [];
  for (let i = 0; i <= turn; i++) {
    messages.push({ role: 'user', content: [{ type: 'text', text: i === 0 ? '<system-reminder>CLAUDE.md</system-reminder> fix the bug' : `tool result ${i}` }] });
    if (i < turn) messages.push({ role: 'assistant', content: [{ type: 'text', text: `step ${i}` }] });
  }
  const last = messages.at(-1) as { content: Record<string, unknown>[] };
  last.content[0]!['cache_control'] = { type: 'ephemeral' };
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 32_000,
    system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
    messages,
    ...(userId === undefined ? {} : { metadata: { user_id: userId } }),
  };
}

const openaiTurn = (first: string, turn: number, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: first },
    ...Array.from({ length: turn }, (_, i) => [
      { role: 'assistant', content: `answer ${i}` },
      { role: 'user', content: `follow-up ${i}` },
    ]).flat(),
  ],
  ...extra,
});

describe('affinityKey', () => {
  it('is the same on every turn of one conversation and differs between conversations', () => {
    const turns = [0, 1, 5, 9].map((turn) => affinityKey('openai', {}, openaiTurn('plan a trip', turn), 7));
    expect(new Set(turns).size).toBe(1);
    expect(affinityKey('openai', {}, openaiTurn('write a poem', 0), 7)).not.toBe(turns[0]);
    expect(turns[0]).toMatch(/^7:prompt:[A-Za-z0-9_-]{22}$/);
  });

  it('never lets two client keys share a binding', () => {
    expect(affinityKey('openai', {}, openaiTurn('same', 0), 1)).not.toBe(affinityKey('openai', {}, openaiTurn('same', 0), 2));
    const headers = { 'x-claude-code-session-id': SESSION };
    expect(affinityKey('anthropic', headers, {}, 1)).not.toBe(affinityKey('anthropic', headers, {}, 2));
  });

  it('ignores cache breakpoints that move from turn to turn (Claude Code without a session id)', () => {
    const keys = [0, 1, 2, 8].map((turn) => affinityKey('anthropic', {}, claudeCodeTurn(turn), 3));
    expect(new Set(keys).size).toBe(1);
  });

  it('keys a Claude Code session the same whether it comes as header, JSON metadata or legacy metadata', () => {
    const fromHeader = affinityKey('anthropic', { 'x-claude-code-session-id': SESSION }, claudeCodeTurn(0), 3);
    const fromJson = affinityKey('anthropic', {}, claudeCodeTurn(4, JSON.stringify({ device_id: 'd1', account_uuid: '', session_id: SESSION })), 3);
    const fromLegacy = affinityKey('anthropic', {}, claudeCodeTurn(2, `user_${'a'.repeat(64)}_account__session_${SESSION}`), 3);
    expect(fromHeader).toMatch(/^3:session:/);
    expect(fromJson).toBe(fromHeader);
    expect(fromLegacy).toBe(fromHeader);
    // Two sessions in the same project (same system prompt, same first message) are two conversations.
    const other = affinityKey('anthropic', {}, claudeCodeTurn(0, JSON.stringify({ session_id: 'another-session' })), 3);
    expect(other).not.toBe(fromHeader);
  });

  it('takes Codex and generic session headers, Claude Code\'s first', () => {
    expect(affinitySource('openai', { session_id: 'codex-1' }, {})).toEqual({ source: 'session', id: 'codex-1' });
    expect(affinitySource('openai', { 'session-id': 'codex-2', conversation_id: 'old' }, {})).toEqual({ source: 'session', id: 'codex-2' });
    expect(affinitySource('openai', { conversation_id: 'codex-3' }, {})).toEqual({ source: 'session', id: 'codex-3' });
    expect(affinitySource('gemini', { 'x-session-id': 'g-1' }, {})).toEqual({ source: 'session', id: 'g-1' });
    expect(affinitySource('anthropic', { 'x-claude-code-session-id': SESSION, 'x-session-id': 'other' }, {})).toEqual({ source: 'session', id: SESSION });
    // A blank or absurdly long header is not an id.
    expect(affinitySource('openai', { session_id: '  ', 'x-session-id': 'x'.repeat(600) }, {}).source).toBe('prompt');
  });

  it('takes OpenAI prompt_cache_key as the conversation, and scopes the prompt digest by user', () => {
    const cached = (text: string) => affinityKey('openai', {}, openaiTurn(text, 0, { prompt_cache_key: 'conv-9' }), 1);
    expect(cached('one')).toBe(cached('two'));
    expect(cached('one')).toMatch(/^1:cache-key:/);
    const byUser = (user: string, text: string) => affinityKey('openai', {}, openaiTurn(text, 0, { user }), 1);
    expect(byUser('alice', 'hi')).not.toBe(byUser('bob', 'hi'));
    expect(byUser('alice', 'hi')).not.toBe(byUser('alice', 'a new chat'));
    expect(byUser('alice', 'hi')).toBe(affinityKey('openai', {}, openaiTurn('hi', 3, { user: 'alice' }), 1));
    // A plain Anthropic user id scopes too; it is not a session.
    expect(affinitySource('anthropic', {}, { metadata: { user_id: 'customer-42' }, messages: [] })).toEqual({ source: 'prompt', user: 'customer-42' });
  });

  it('reads the Gemini system instruction and first content', () => {
    const gemini = (first: string, turns: number) => ({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: first }] }, ...Array.from({ length: turns }, (_, i) => ({ role: i % 2 ? 'user' : 'model', parts: [{ text: `t${i}` }] }))],
    });
    expect(affinityKey('gemini', {}, gemini('hello', 0), 4)).toBe(affinityKey('gemini', {}, gemini('hello', 6), 4));
    expect(affinityKey('gemini', {}, gemini('hello', 0), 4)).not.toBe(affinityKey('gemini', {}, gemini('goodbye', 0), 4));
  });

  it('tells apart conversations whose system prompts differ, whatever the protocol', () => {
    const withSystem = (system: string) => ({ system, messages: [{ role: 'user', content: 'same' }] });
    expect(affinityKey('anthropic', {}, withSystem('a'), 1)).not.toBe(affinityKey('anthropic', {}, withSystem('b'), 1));
    const openai = (system: string) => ({ messages: [{ role: 'developer', content: system }, { role: 'user', content: 'same' }] });
    expect(affinityKey('openai', {}, openai('a'), 1)).not.toBe(affinityKey('openai', {}, openai('b'), 1));
  });

  it('reads a bounded prefix of a huge or deeply nested first message, and survives odd bodies', () => {
    const big = 'x'.repeat(2_000_000);
    const key = affinityKey('openai', {}, { messages: [{ role: 'user', content: big }] }, 1);
    expect(affinityKey('openai', {}, { messages: [{ role: 'user', content: `${big}different tail` }] }, 1)).toBe(key);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(affinityKey('anthropic', {}, { messages: [{ role: 'user', content: deep }] }, 1)).toMatch(/^1:prompt:/);
    for (const body of [null, [], 'text', { messages: 'nope' }, { contents: {} }]) {
      expect(affinityKey('openai', {}, body, 1)).toMatch(/^1:prompt:/);
      expect(affinityKey('gemini', {}, body, 1)).toMatch(/^1:prompt:/);
    }
  });
});

describe('affinityKey of the Responses API', () => {
  const first = { model: 'gpt-4o', instructions: 'You are terse.', input: 'plan a trip' };
  // The same conversation as the gateway sends it upstream on turn 3 of a previous_response_id chain.
  const carried = {
    model: 'gpt-4o',
    instructions: 'You are terse.',
    input: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'plan a trip' }] },
      { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'where to?', annotations: [] }] },
      { role: 'user', content: 'Lisbon' },
    ],
  };

  it('hashes instructions and the first input item, alike for a string input and that item carried on', () => {
    const key = affinityKey('responses', {}, first, 7);
    expect(key).toMatch(/^7:prompt:/);
    expect(affinityKey('responses', {}, carried, 7)).toBe(key);
    expect(affinityKey('responses', {}, { ...first, instructions: 'other' }, 7)).not.toBe(key);
    expect(affinityKey('responses', {}, { ...first, input: 'other trip' }, 7)).not.toBe(key);
  });

  it('takes prompt_cache_key first, and lets safety_identifier or user scope the digest', () => {
    expect(affinityKey('responses', {}, { ...first, prompt_cache_key: 'conv-1' }, 7)).toBe(affinityKey('openai', {}, { messages: [], prompt_cache_key: 'conv-1' }, 7));
    const plain = affinityKey('responses', {}, first, 7);
    const bySafety = affinityKey('responses', {}, { ...first, safety_identifier: 'u1' }, 7);
    expect(bySafety).not.toBe(plain);
    expect(affinityKey('responses', {}, { ...first, user: 'u1' }, 7)).toBe(bySafety);
  });

  it('keeps a continuation on its stored conversation key unless the request names its session', () => {
    expect(affinityKey('responses', {}, carried, 7, '7:prompt:stored')).toBe('7:prompt:stored');
    expect(affinityKey('responses', { session_id: 's-1' }, carried, 7, '7:prompt:stored')).toMatch(/^7:session:/);
    expect(affinityKey('responses', {}, { ...carried, prompt_cache_key: 'k' }, 7, '7:prompt:stored')).toMatch(/^7:cache-key:/);
  });
});

describe('claudeCodeSessionId', () => {
  it('reads both formats Claude Code has used and nothing else', () => {
    expect(claudeCodeSessionId(JSON.stringify({ device_id: 'd', account_uuid: '', session_id: SESSION }))).toBe(SESSION);
    expect(claudeCodeSessionId(`user_${'f'.repeat(64)}_account_0f1e2d3c-aaaa-bbbb-cccc-111122223333_session_${SESSION}`)).toBe(SESSION);
    expect(claudeCodeSessionId('customer-42')).toBeUndefined();
    expect(claudeCodeSessionId('{not json')).toBeUndefined();
    expect(claudeCodeSessionId('{"device_id":"d"}')).toBeUndefined();
  });
});
