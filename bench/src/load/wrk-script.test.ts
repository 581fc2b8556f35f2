import { describe, expect, it } from 'vitest';
import { luaString, parseWrkOutput, wrkScript } from './wrk-script.js';

describe('luaString', () => {
  it('escapes quotes, backslashes and control characters, keeping UTF-8 bytes', () => {
    expect(luaString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\010d"');
    expect(luaString('é')).toBe(`"${String.fromCharCode(0xc3, 0xa9)}"`);
  });
});

describe('wrkScript', () => {
  it('sets method, body and headers', () => {
    const script = wrkScript({ url: 'http://x/', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(script).toContain('wrk.method = "POST"');
    expect(script).toContain('wrk.body = "{\\"a\\":1}"');
    expect(script).toContain('wrk.headers["content-type"] = "application/json"');
  });
});

describe('parseWrkOutput', () => {
  it('reads the marked line among wrk’s own output', () => {
    const out = 'Running 1s test\nWRK_JSON {"durationUs":1000000,"requests":5,"bytes":10,"connect":0,"read":0,"write":0,"status":1,"timeout":0,"p50":45.000,"p90":50.000,"p99":60.000,"p999":70.000,"mean":46.100,"max":80.000}\n';
    expect(parseWrkOutput(out)).toMatchObject({ requests: 5, status: 1, p50: 45 });
  });

  it('throws with the output when the line is missing', () => {
    expect(() => parseWrkOutput('oops')).toThrow(/no result line/);
  });
});
