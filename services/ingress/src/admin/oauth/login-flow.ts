import { timingSafeEqual } from 'node:crypto';
import { AppError } from '@aigw/errors';
import type { AdminDeps } from '../admin-deps.js';
import { discoverProject, MAX_ONBOARD_POLLS } from './code-assist-project.js';
import { authorizationUrl, LOGIN_KINDS, type LoginKind } from './login-clients.js';
import { loginStatus, type StoredLogin } from './login-store.js';
import { createOAuthAccount, findSameOAuthAccount, renewOAuthAccount, type OnboardedAccount } from './oauth-account-store.js';
import type { OAuthOnboarding } from './oauth-onboarding.js';
import { newPkce, randomToken } from './pkce.js';
import { exchangeCode, type ExchangedTokens } from './token-exchange.js';

export type LoginDeps = Pick<AdminDeps, 'prisma' | 'cipher' | 'notify' | 'proxyPool' | 'egress'> & { oauth: OAuthOnboarding };

const nowOf = (deps: LoginDeps) => (deps.oauth.now ?? Date.now)();

/** A login as the API shows it: never the verifier. */
export function presentLogin(login: StoredLogin, now: number) {
  return {
    id: login.id,
    providerId: login.providerId,
    provider: login.provider,
    kind: login.kind,
    label: login.label,
    egress: login.egress,
    authorizationUrl: login.authorizationUrl,
    redirectUri: login.redirectUri,
    createdAt: login.createdAt,
    expiresAt: login.expiresAt,
    status: loginStatus(login, now),
    accountId: login.accountId,
    error: login.error,
  };
}

/** Starts a login for a provider whose kind matches: a fresh state and PKCE pair, kept in Redis. */
export async function startLogin(deps: LoginDeps, request: { providerId: number; kind: LoginKind | undefined; label: string | undefined; redirectUri: string | undefined; egress: 'pool' | 'direct' | undefined }): Promise<StoredLogin> {
  const provider = await deps.prisma.provider.findUniqueOrThrow({ where: { id: request.providerId }, select: { id: true, name: true, kind: true } });
  const kind = request.kind ?? (LOGIN_KINDS as readonly string[]).find((k) => k === provider.kind);
  if (kind === undefined || kind !== provider.kind) {
    throw new AppError('INVALID_REQUEST', `provider ${provider.name} is of kind ${provider.kind}; logins exist for ${LOGIN_KINDS.join(', ')} providers of the same kind`, { details: { param: 'kind' } });
  }
  const client = deps.oauth.clients[kind as LoginKind];
  const now = nowOf(deps);
  const pkce = newPkce();
  const state = randomToken();
  const redirectUri = request.redirectUri ?? client.redirectUri;
  const login: StoredLogin = {
    id: randomToken().slice(0, 22),
    providerId: provider.id,
    provider: provider.name,
    kind: kind as LoginKind,
    label: request.label ?? null,
    egress: request.egress ?? 'pool',
    state,
    verifier: pkce.verifier,
    redirectUri,
    authorizationUrl: authorizationUrl(kind as LoginKind, client, { state, challenge: pkce.challenge, redirectUri }),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + deps.oauth.loginTtlMs).toISOString(),
    status: 'pending',
    accountId: null,
    error: null,
  };
  await deps.oauth.logins.save(login);
  return login;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The account a login's tokens make: its credential, and who it is (project, email, ChatGPT account). */
async function onboardedAccount(deps: LoginDeps, login: StoredLogin, tokens: ExchangedTokens): Promise<OnboardedAccount> {
  const client = deps.oauth.clients[login.kind];
  const settings: Record<string, string> = {};
  if (tokens.email !== undefined) settings['email'] = tokens.email;
  // Only ChatGPT logins name an account in the id_token that matters upstream.
  if (login.kind === 'openai' && tokens.chatgptAccountId !== undefined) settings['chatgptAccountId'] = tokens.chatgptAccountId;
  if (login.kind === 'antigravity') {
    const provider = await deps.prisma.provider.findUniqueOrThrow({ where: { id: login.providerId }, select: { baseUrl: true } });
    const discovery = { outbound: deps.oauth.outbound, pollMs: deps.oauth.onboardPollMs, maxPolls: MAX_ONBOARD_POLLS };
    settings['project'] = await discoverProject(discovery, provider.baseUrl, tokens.accessToken);
  }
  return {
    providerId: login.providerId,
    label: login.label ?? tokens.email ?? `${login.kind}-${login.id.slice(0, 8)}`,
    credential: {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      refreshToken: tokens.refreshToken,
      tokenUrl: client.tokenUrl,
      tokenRequestFormat: client.tokenRequestFormat === 'json' ? 'json' : undefined,
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
    },
    settings,
    egress: login.egress,
  };
}

/** Why a login cannot be completed now, or undefined when it can. */
function refusal(login: StoredLogin, now: number): AppError | undefined {
  const status = loginStatus(login, now);
  if (status === 'expired') return new AppError('INVALID_REQUEST', `the login expired at ${login.expiresAt}; start a new one`, { details: { param: 'id' } });
  if (status === 'completed') return new AppError('CONFLICT', `the login is already completed (account ${login.accountId})`);
  if (status === 'failed') return new AppError('CONFLICT', `the login failed (${login.error}); start a new one`);
  return undefined;
}

/**
 * Completes a login with the code the provider redirected with: checks state and deadline, exchanges the code
 * with the verifier, finds the Cloud Code project (antigravity), and stores the account (or renews the one
 * already logged in as the same email). One replica at a time per login.
 */
export async function completeLogin(deps: LoginDeps, id: string, pasted: { code: string; state: string | undefined }): Promise<{ login: StoredLogin; created: boolean }> {
  const { logins } = deps.oauth;
  const login = await logins.get(id);
  if (login === undefined) throw new AppError('NOT_FOUND', 'no such login (or it ended over an hour ago)');
  const refused = refusal(login, nowOf(deps));
  if (refused) throw refused;
  if (pasted.state !== undefined && !sameText(pasted.state, login.state)) {
    throw new AppError('INVALID_REQUEST', 'the state does not match this login: paste the redirect of this login, not of another one', { details: { param: 'state' } });
  }
  if (!(await logins.claim(id))) throw new AppError('CONFLICT', 'the login is being completed by another request');
  try {
    const verifier = login.verifier;
    if (verifier === null) throw new AppError('CONFLICT', 'the login was already used');
    let account: OnboardedAccount;
    try {
      const tokens = await exchangeCode(deps.oauth.outbound, deps.oauth.clients[login.kind], { code: pasted.code, verifier, redirectUri: login.redirectUri, state: login.state }, deps.oauth.now);
      account = await onboardedAccount(deps, login, tokens);
    } catch (error) {
      // The code is spent either way: the login ends, saying why (messages here name no secret).
      if (error instanceof AppError) await logins.finish(login, { error: error.message });
      throw error;
    }
    const same = await findSameOAuthAccount(deps, login.providerId, { refreshToken: account.credential.refreshToken, email: account.settings['email'] });
    const accountId = same ?? (await createOAuthAccount(deps, account));
    if (same !== undefined) await renewOAuthAccount(deps, same, account);
    return { login: await logins.finish(login, { accountId }), created: same === undefined };
  } finally {
    await logins.release(id);
  }
}
