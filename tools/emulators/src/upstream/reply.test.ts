import { describe, expect, it } from 'vitest';
import { buildReply, composeReplyText, countWords, ECHO_LIMIT, splitIntoChunks, truncateWords } from './reply.js';

describe('composeReplyText', () => {
  it('greets with the model and echoes the user text without directives', () => {
    expect(composeReplyText('gpt-4o', '  say hi [emu status=503]  ')).toBe('Hello from gpt-4o: say hi');
    expect(composeReplyText('m', '[emu delay_ms=5]')).toBe('Hello from m.');
  });

  it("answers the prompt, not the context a client puts before it (Claude Code's system reminders)", () => {
    const text = '<system-reminder>\nAvailable agents: Explore\n</system-reminder>\n<system-reminder>Today is Monday.</system-reminder>\nSay hi [emu tool=none]';
    expect(composeReplyText('m', text)).toBe('Hello from m: Say hi');
    expect(composeReplyText('m', '<session_context>\nThis is the Gemini CLI.\n</session_context>\nSay hi')).toBe('Hello from m: Say hi');
    expect(composeReplyText('m', '<environment_context>\n  <cwd>/w</cwd>\n</environment_context>\nSay hi')).toBe('Hello from m: Say hi');
    expect(composeReplyText('m', '<system-reminder>unclosed Say hi')).toBe('Hello from m: <system-reminder>unclosed Say hi');
  });

  it('caps the echo', () => {
    const text = composeReplyText('m', 'x'.repeat(ECHO_LIMIT + 50));
    expect(text).toBe(`Hello from m: ${'x'.repeat(ECHO_LIMIT)}`);
  });
});

describe('countWords / truncateWords', () => {
  it('counts whitespace-separated words', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  one\ttwo\n three  ')).toBe(3);
  });

  it('keeps the first words with their spacing', () => {
    expect(truncateWords('a  b\nc d', 3)).toBe('a  b\nc');
    expect(truncateWords('a b', 0)).toBe('');
    expect(truncateWords('a b', 9)).toBe('a b');
  });
});

describe('buildReply', () => {
  const base = { model: 'm', stream: false, lastUserText: 'one two three four', inputTokens: 7, streamUsage: false };

  it('answers in full with word token counts', () => {
    expect(buildReply(base)).toEqual({ text: 'Hello from m: one two three four', inputTokens: 7, outputTokens: 7, finish: 'stop' });
  });

  it('cuts at maxOutputTokens and reports length', () => {
    expect(buildReply({ ...base, maxOutputTokens: 3 })).toEqual({ text: 'Hello from m:', inputTokens: 7, outputTokens: 3, finish: 'length' });
  });
});

describe('splitIntoChunks', () => {
  it('splits into near-equal pieces that join back', () => {
    const pieces = splitIntoChunks('abcdefghij', 3);
    expect(pieces).toEqual(['abc', 'def', 'ghij']);
    expect(splitIntoChunks('ab', 10)).toEqual(['a', 'b']);
    expect(splitIntoChunks('', 4)).toEqual(['']);
  });

  it('never splits a surrogate pair', () => {
    expect(splitIntoChunks('😀😀', 2)).toEqual(['😀', '😀']);
  });
});
