import { describe, expect, it } from 'vitest';
import { parsePastedCode } from './pasted-code.js';

describe('parsePastedCode', () => {
  it('reads code and state from a full redirect URL (Codex, Antigravity, the gateway callback)', () => {
    expect(parsePastedCode(' http://localhost:1455/auth/callback?code=ac_1%2F2&scope=x&state=st-9 ')).toEqual({ code: 'ac_1/2', state: 'st-9' });
    expect(parsePastedCode('http://localhost:51121/oauth-callback?state=s&code=4/0Ab')).toEqual({ code: '4/0Ab', state: 's' });
  });

  it('reads a bare query string', () => {
    expect(parsePastedCode('?code=abc&state=def')).toEqual({ code: 'abc', state: 'def' });
    expect(parsePastedCode('code=abc')).toEqual({ code: 'abc', state: undefined });
  });

  it("splits Anthropic's code#state, and takes a bare code without state", () => {
    expect(parsePastedCode('Xy12-ab#st_ate')).toEqual({ code: 'Xy12-ab', state: 'st_ate' });
    expect(parsePastedCode('4/0AbCdEf')).toEqual({ code: '4/0AbCdEf', state: undefined });
  });

  it('reports a denied consent, an empty paste and garbage as errors, never echoing them', () => {
    expect(parsePastedCode('http://localhost/cb?error=access_denied&state=s')).toEqual({ error: 'the provider answered access_denied' });
    expect(parsePastedCode('http://localhost/cb?error=<b>&state=s')).toEqual({ error: 'the provider answered an error' });
    expect(parsePastedCode('   ')).toEqual({ error: 'nothing was pasted' });
    expect(parsePastedCode('http://localhost/cb?state=s')).toEqual({ error: 'no code in what was pasted' });
    expect(parsePastedCode('#state')).toEqual({ error: 'no code before the #' });
    expect(parsePastedCode('two words')).toEqual({ error: 'a code has no spaces' });
    expect(parsePastedCode('x'.repeat(9000))).toEqual({ error: 'what was pasted is too long' });
  });
});
