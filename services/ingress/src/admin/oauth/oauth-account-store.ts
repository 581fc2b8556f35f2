import type { PrismaClient } from '@aigw/db';
import { parseCredentials } from '../account-credentials.js';
import type { AdminDeps } from '../admin-deps.js';
import { checkEgress } from '../egress-field.js';

/** The decrypted auth_data of an OAuth account, as auth refreshes it (services/auth credentials/auth-data.ts). */
export interface OAuthCredential {
  clientId: string;
  clientSecret?: string | undefined;
  refreshToken: string;
  tokenUrl: string;
  tokenRequestFormat?: 'form' | 'json' | undefined;
  accessToken?: string | undefined;
  expiresAt?: number | undefined;
}

/** An onboarded account: its secret goes encrypted into auth_data, its identity (never a secret) into settings. */
export interface OnboardedAccount {
  providerId: number;
  label: string;
  credential: OAuthCredential;
  /** e.g. {project, email} (antigravity), {email, chatgptAccountId} (openai). */
  settings: Record<string, string>;
  /** pool (default): only through a proxy of the pool; direct: the operator chose no proxy. */
  egress?: 'pool' | 'direct' | undefined;
}

type Deps = Pick<AdminDeps, 'prisma' | 'cipher' | 'notify' | 'proxyPool' | 'egress'>;

/** Drops undefined fields, so that the credential validates and stores as auth reads it. */
function definedOnly(credential: OAuthCredential): Record<string, unknown> {
  return Object.fromEntries(Object.entries(credential).filter(([, v]) => v !== undefined));
}

function settingsOf(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The provider's OAuth account holding the same refresh token or logged in as the same email, if any.
 * Refresh tokens are compared decrypted; a row that cannot be decrypted is no match.
 */
export async function findSameOAuthAccount(deps: Pick<Deps, 'prisma' | 'cipher'>, providerId: number, identity: { refreshToken: string; email?: string | undefined }): Promise<number | undefined> {
  const rows = await deps.prisma.account.findMany({ where: { providerId, authType: 'oauth' }, select: { id: true, authData: true, settings: true }, orderBy: { id: 'asc' } });
  for (const row of rows) {
    if (identity.email !== undefined && settingsOf(row.settings)['email'] === identity.email) return row.id;
    try {
      const data = deps.cipher.decryptJson(row.authData) as { refreshToken?: unknown };
      if (data.refreshToken === identity.refreshToken) return row.id;
    } catch {
      // unreadable (another key, tampered): not this account
    }
  }
  return undefined;
}

async function afterChange(deps: Deps, prisma: PrismaClient, id: number): Promise<void> {
  // Same as the accounts API: every replica refreshes, and the proxy pool makes room for the account.
  deps.notify({ entity: 'account', id });
  if ((await deps.proxyPool.recalculate(prisma)).changed > 0) deps.notify({ entity: 'account' });
}

/** Creates the account active, credential encrypted; returns its id. */
export async function createOAuthAccount(deps: Deps, account: OnboardedAccount): Promise<number> {
  const credential = parseCredentials('oauth', definedOnly(account.credential));
  checkEgress(deps.egress, 'tokenUrl', account.credential.tokenUrl);
  const created = await deps.prisma.account.create({
    data: {
      providerId: account.providerId,
      label: account.label.slice(0, 128),
      authType: 'oauth',
      authData: deps.cipher.encryptJson(credential),
      settings: JSON.stringify(account.settings),
      isActive: true,
      egress: account.egress ?? 'pool',
    },
  });
  await afterChange(deps, deps.prisma, created.id);
  return created.id;
}

/** Gives an existing account a new login's credential (a re-login revives it), keeping its other settings. */
export async function renewOAuthAccount(deps: Deps, id: number, account: OnboardedAccount): Promise<void> {
  const credential = parseCredentials('oauth', definedOnly(account.credential));
  checkEgress(deps.egress, 'tokenUrl', account.credential.tokenUrl);
  const existing = await deps.prisma.account.findUniqueOrThrow({ where: { id }, select: { settings: true } });
  await deps.prisma.account.update({
    where: { id },
    data: { authType: 'oauth', authData: deps.cipher.encryptJson(credential), settings: JSON.stringify({ ...settingsOf(existing.settings), ...account.settings }), isActive: true },
  });
  await afterChange(deps, deps.prisma, id);
}
