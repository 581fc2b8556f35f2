import { describe, expect, it } from 'vitest';
import { parseAnswerDirectives } from './answer-directives.js';
import { parseDirective } from './steering.js';

describe('parseAnswerDirectives', () => {
  it('reads tool, thinking and cached', () => {
    expect(parseAnswerDirectives('hi [emu tool=none thinking=on cached=12]')).toEqual({ tool: 'none', thinking: true, cachedTokens: 12 });
    expect(parseAnswerDirectives('[emu tool=get_time] [emu thinking=off]')).toEqual({ tool: 'get_time', thinking: false });
  });

  it('reads tool arguments a user asks for', () => {
    expect(parseAnswerDirectives('Read it [emu tool=Read arg.file_path=/tmp/a.txt arg.limit=5]')).toEqual({
      tool: 'Read',
      args: { file_path: '/tmp/a.txt', limit: '5' },
    });
    expect(parseAnswerDirectives('[emu arg.=x]')).toBeUndefined();
  });

  it('ignores bad values and directives without answer keys', () => {
    expect(parseAnswerDirectives('[emu thinking=maybe cached=-1 cached=x]')).toBeUndefined();
    expect(parseAnswerDirectives('[emu status=500]')).toBeUndefined();
    expect(parseAnswerDirectives('no directive')).toBeUndefined();
  });

  it('shares the directive with steering, each side reading its own keys', () => {
    const text = 'x [emu status=429 cached=3 stream_error=529]';
    expect(parseDirective(text)).toEqual({ status: 429, streamErrorStatus: 529 });
    expect(parseAnswerDirectives(text)).toEqual({ cachedTokens: 3 });
    expect(parseDirective('[emu stream_error=200]')).toBeUndefined();
  });
});
