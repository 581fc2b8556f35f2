import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialCipher, isEncrypted } from './credential-cipher.js';

describe('CredentialCipher', () => {
  const cipher = new CredentialCipher(randomBytes(32));

  it('round-trips JSON and never contains the plaintext', () => {
    const token = cipher.encryptJson({ refreshToken: 'rt-secret-123' });
    expect(token).not.toContain('rt-secret');
    expect(isEncrypted(token)).toBe(true);
    expect(cipher.decryptJson(token)).toEqual({ refreshToken: 'rt-secret-123' });
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt('x')).not.toBe(cipher.encrypt('x'));
  });

  it('rejects tampering and the wrong key', () => {
    const token = cipher.encrypt('hello');
    const parts = token.split('.');
    parts[3] = Buffer.from('jello').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
    expect(() => new CredentialCipher(randomBytes(32)).decrypt(token)).toThrow();
  });
});
