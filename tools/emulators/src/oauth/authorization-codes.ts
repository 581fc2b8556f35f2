import { createHash, randomBytes } from 'node:crypto';

// Authorization codes as Google, Anthropic and OpenAI issue them to installed apps: single use, short-lived,
// bound to the client, the redirect URI and the PKCE challenge (RFC 7636, S256 or plain). Each approval logs a
// new emulated user in, so that two logins make two distinct accounts (email, ChatGPT account id).

export interface EmulatedUser {
  email: string;
  /** What the id_token carries as the ChatGPT account id (OpenAI's `https://api.openai.com/auth` claim). */
  accountId: string;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string | undefined;
  method: string;
  scope: string;
  user: EmulatedUser;
  expiresAt: number;
}

export type CodeOutcome =
  | { ok: true; clientId: string; scope: string; user: EmulatedUser }
  | { ok: false; error: 'invalid_grant' | 'invalid_request'; description: string };

const CODE_LIFETIME_MS = 10 * 60_000;

export class AuthorizationCodes {
  readonly #codes = new Map<string, PendingCode>();
  #users = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Issues a code for an approved authorization request; `loginHint` picks the user's email. */
  issue(request: { clientId: string; redirectUri: string; challenge?: string; method?: string; scope: string; loginHint?: string }): { code: string; user: EmulatedUser } {
    const n = ++this.#users;
    const user: EmulatedUser = {
      email: request.loginHint && /^[^@\s]+@[^@\s]+$/.test(request.loginHint) ? request.loginHint : `user-${n}-${randomBytes(3).toString('hex')}@emu.example`,
      accountId: `acct-emu-${randomBytes(6).toString('hex')}`,
    };
    const code = `4/emu-${randomBytes(18).toString('base64url')}`;
    this.#codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      challenge: request.challenge,
      method: request.method ?? 'plain',
      scope: request.scope,
      user,
      expiresAt: this.now() + CODE_LIFETIME_MS,
    });
    return { code, user };
  }

  /** Redeems a code (once): the client, the redirect URI and the PKCE verifier must match what was authorized. */
  redeem(code: string, clientId: string, redirectUri: string | null, verifier: string | null): CodeOutcome {
    const pending = this.#codes.get(code);
    // Used or not: a code is spent by any redemption attempt, as Google does.
    this.#codes.delete(code);
    if (pending === undefined || pending.expiresAt <= this.now()) return { ok: false, error: 'invalid_grant', description: 'Malformed auth code.' };
    if (pending.clientId !== clientId) return { ok: false, error: 'invalid_grant', description: 'The auth code was issued to another client.' };
    if (redirectUri !== null && redirectUri !== pending.redirectUri) return { ok: false, error: 'invalid_grant', description: 'Bad Request: redirect_uri_mismatch' };
    if (pending.challenge !== undefined) {
      if (verifier === null) return { ok: false, error: 'invalid_request', description: 'Missing code verifier.' };
      const computed = pending.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (computed !== pending.challenge) return { ok: false, error: 'invalid_grant', description: 'Invalid code verifier.' };
    }
    return { ok: true, clientId: pending.clientId, scope: pending.scope, user: pending.user };
  }

  clear(): void {
    this.#codes.clear();
  }
}

/** An unsigned JWT (alg none) with the claims real id_tokens carry: email, and OpenAI's ChatGPT account claim. */
export function unsignedIdToken(issuer: string, clientId: string, user: EmulatedUser, nowMs: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(nowMs / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({
    iss: issuer,
    aud: clientId,
    sub: user.accountId,
    email: user.email,
    email_verified: true,
    iat,
    exp: iat + 3600,
    'https://api.openai.com/auth': { chatgpt_account_id: user.accountId, chatgpt_plan_type: 'plus' },
  })}.`;
}
