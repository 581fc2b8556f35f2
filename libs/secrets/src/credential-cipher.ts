import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** Encrypts credentials at rest with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export class CredentialCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('encryption key must be 32 bytes');
  }

  /** Encrypts a UTF-8 string with a fresh 96-bit IV. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Decrypts and authenticates; throws on a wrong key or tampered data. */
  decrypt(token: string): string {
    const [version, iv, tag, body] = token.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not an encrypted credential');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Encrypts a JSON-serialisable value. */
  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  /** Decrypts a value written by encryptJson. */
  decryptJson<T>(token: string): T {
    return JSON.parse(this.decrypt(token)) as T;
  }
}

/** True when `value` has the shape of a CredentialCipher token (not proof it decrypts). */
export function isEncrypted(value: string): boolean {
  return value.startsWith(`${VERSION}.`) && value.split('.').length === 4;
}
