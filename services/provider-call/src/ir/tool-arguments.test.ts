import { describe, expect, it } from 'vitest';
import { toolArgumentsObject } from './tool-arguments.js';

describe('toolArgumentsObject', () => {
  it('parses objects, keeps anything else under _raw, and reads empty arguments as {}', () => {
    expect(toolArgumentsObject('{"city":"Oslo"}')).toEqual({ city: 'Oslo' });
    expect(toolArgumentsObject('  ')).toEqual({});
    expect(toolArgumentsObject('[1,2]')).toEqual({ _raw: '[1,2]' });
    expect(toolArgumentsObject('{"trunc')).toEqual({ _raw: '{"trunc' });
  });

  it('refuses arguments nested deeper than a request may be', () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    expect(() => toolArgumentsObject(deep)).toThrowError(/tool arguments are nested deeper/);
  });
});
