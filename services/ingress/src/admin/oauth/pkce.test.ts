import { describe, expect, it } from 'vitest';
import { newPkce, randomToken, s256Challenge } from './pkce.js';

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers of a valid length and charset, each different, with their challenge', () => {
    const a = newPkce();
    const b = newPkce();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a).toMatchObject({ method: 'S256', challenge: s256Challenge(a.verifier) });
    expect(randomToken()).not.toBe(randomToken());
  });
});
