import { describe, expect, it } from 'vitest';
import { PromptCache, promptPrefixes } from './prompt-cache.js';

/** An Anthropic conversation of `turns` user turns, the cache breakpoint on the newest, as Claude Code sends it. */
function anthropicTurn(turns: number) {
  const messages: Record<string, unknown>[] = [];
  for (let i = 0; i < turns; i++) {
    if (i > 0) messages.push({ role: 'assistant', content: [{ type: 'text', text: `answer ${i}` }] });
    messages.push({ role: 'user', content: [{ type: 'text', text: `question number ${i}`, ...(i === turns - 1 ? { cache_control: { type: 'ephemeral' } } : {}) }] });
  }
  return { system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }], messages };
}

describe('promptPrefixes', () => {
  it('cuts the conversation before its newest turn at every turn, counting words', () => {
    expect(promptPrefixes('anthropic', anthropicTurn(1)).map((p) => p.tokens)).toEqual([3]);
    expect(promptPrefixes('anthropic', anthropicTurn(2)).map((p) => p.tokens)).toEqual([3, 6, 8]);
    const gemini = { systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [{ role: 'user', parts: [{ text: 'hi there' }] }, { role: 'user', parts: [{ text: 'x' }] }] };
    expect(promptPrefixes('gemini', gemini).map((p) => p.tokens)).toEqual([2, 4]);
    expect(promptPrefixes('antigravity', { request: gemini }).map((p) => p.tokens)).toEqual([2, 4]);
    expect(promptPrefixes('openai', { messages: [{ role: 'user', content: 'only one' }] })).toEqual([]);
  });

  it('ignores moving cache breakpoints, so turn n+1 extends turn n', () => {
    const earlier = promptPrefixes('anthropic', anthropicTurn(2)).map((p) => p.key);
    const later = promptPrefixes('anthropic', anthropicTurn(3)).map((p) => p.key);
    expect(later.slice(0, earlier.length)).toEqual(earlier);
  });

  it('survives bodies of the wrong shape', () => {
    for (const body of [null, 'x', [], { messages: 'no' }, { request: 5 }]) {
      expect(promptPrefixes('openai', body)).toEqual([]);
      expect(promptPrefixes('antigravity', body)).toEqual([]);
    }
  });
});

describe('PromptCache', () => {
  it('reads the longest prefix the same credential sent within the TTL, and only that credential', () => {
    const cache = new PromptCache(1_000);
    const turn2 = promptPrefixes('anthropic', anthropicTurn(2));
    const turn3 = promptPrefixes('anthropic', anthropicTurn(3));
    expect(cache.read('account-a', turn2, 0)).toBe(0);
    expect(cache.read('account-a', turn3, 10)).toBe(8);
    expect(cache.read('account-b', turn3, 20)).toBe(0);
    expect(cache.read('account-a', turn3, 2_000)).toBe(0);
  });

  it('forgets the least recently used prefixes beyond its bound', () => {
    const cache = new PromptCache(60_000, 2);
    const [first] = promptPrefixes('openai', { messages: [{ role: 'user', content: 'one' }, { role: 'user', content: 'next' }] });
    cache.read('a', [first!], 0);
    cache.read('a', promptPrefixes('openai', { messages: [{ role: 'user', content: 'two' }, { role: 'user', content: 'three' }, { role: 'user', content: 'x' }] }), 1);
    expect(cache.read('a', [first!], 2)).toBe(0);
  });
});
