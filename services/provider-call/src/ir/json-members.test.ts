import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonMembers, memberText, withMembers } from './json-members.js';

const members = (text: string) => jsonMembers(Buffer.from(text));
const edited = (text: string, changes: Record<string, unknown>) => {
  const found = members(text);
  if (found === undefined) throw new Error('not scanned');
  return withMembers(found, changes).toString('utf8');
};

describe('jsonMembers', () => {
  it('finds the top-level members of an object, nested values and strings with escapes included', () => {
    const text = ' { "model" : "claude", "messages":[{"role":"user","content":"say \\"}\\" and \\\\"}],"stream":true ,"n":-1.5e3,"x":null}\n';
    const found = members(text);
    expect([...(found?.members.keys() ?? [])]).toEqual(['model', 'messages', 'stream', 'n', 'x']);
    expect(memberText(found!, 'messages')).toBe('[{"role":"user","content":"say \\"}\\" and \\\\"}]');
    expect(memberText(found!, 'n')).toBe('-1.5e3');
    expect(memberText(found!, 'absent')).toBeUndefined();
  });

  it('gives up on what it cannot vouch for, so the caller parses instead', () => {
    expect(members('[1,2]')).toBeUndefined();
    expect(members('\ufeff{"a":1}')).toBeUndefined();
    expect(members('{"mod\\u0065l":"x"}')).toBeUndefined();
    expect(members('{"model":"a","model":"b"}')).toBeUndefined();
    expect(members('{"a":"unterminated}')).toBeUndefined();
    expect(members('{"a":1} trailing')).toBeUndefined();
    expect(members('{}')?.members.size).toBe(0);
  });
});

describe('withMembers', () => {
  it('replaces, adds and removes members and keeps every other byte as it came', () => {
    const text = '{"model":"claude-x","system":[{"type":"text","text":"a  b","cache_control":{"type":"ephemeral"}}],"stream":false}';
    expect(edited(text, { model: 'claude-sonnet-4-5', stream: true })).toBe(
      '{"model":"claude-sonnet-4-5","system":[{"type":"text","text":"a  b","cache_control":{"type":"ephemeral"}}],"stream":true}',
    );
    expect(edited(text, { stream: undefined, max_tokens: 5 })).toBe('{"model":"claude-x","system":[{"type":"text","text":"a  b","cache_control":{"type":"ephemeral"}}],"max_tokens":5}');
    expect(edited('{}', { model: 'm' })).toBe('{"model":"m"}');
    expect(edited('{"stream":true}', { stream: undefined })).toBe('{}');
  });

  it('agrees with JSON.parse on any object', () => {
    const key = fc.oneof(fc.constantFrom('model', 'stream', 'messages', 'a"b', 'ü'), fc.string());
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue()), fc.constantFrom(0, 2), fc.jsonValue(), (object, indent, value) => {
        const text = JSON.stringify(object, null, indent);
        const found = members(text);
        // Keys with escapes (a quote, a control character) are left to the parser; every other object is scanned.
        const escapedKey = Object.keys(object).some((name) => JSON.stringify(name) !== `"${name}"`);
        if (found === undefined) {
          expect(escapedKey).toBe(true);
          return;
        }
        expect([...found.members.keys()]).toEqual(Object.keys(object));
        // Compared as JSON reads them back (-0 is written as 0).
        for (const name of Object.keys(object)) expect(JSON.parse(memberText(found, name)!)).toEqual(JSON.parse(JSON.stringify(object[name])));
        const changed = JSON.parse(withMembers(found, { model: value, stream: undefined }).toString('utf8')) as Record<string, unknown>;
        const expected: Record<string, unknown> = { ...object, model: value };
        delete expected.stream;
        expect(changed).toEqual(JSON.parse(JSON.stringify(expected)));
      }),
      { numRuns: 2000 },
    );
  });
});
