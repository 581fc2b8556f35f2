import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636): the verifier stays with the gateway, the S256 challenge goes in the authorization URL. */
export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** BASE64URL(SHA256(verifier)), RFC 7636 §4.2. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A fresh verifier of 43 characters (32 random bytes) and its S256 challenge. */
export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier), method: 'S256' };
}

/** An unguessable `state` (or login id): 24 random bytes, URL-safe. */
export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}
