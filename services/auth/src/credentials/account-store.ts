import type { PrismaClient } from '@aigw/db';
import { AppError } from '@aigw/errors';
import type { CredentialCipher } from '@aigw/secrets';
import { parseAuthSecret, type AuthSecret, type OAuthData } from './auth-data.js';

/** An account as auth needs it: where it belongs and its decrypted secret. */
export interface AccountCredentials {
  id: number;
  providerName: string;
  providerKind: string;
  secret: AuthSecret;
}

/** Reads and writes the encrypted `auth_data` of accounts. */
export class AccountStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: CredentialCipher,
  ) {}

  /** Loads and decrypts one account; NOT_FOUND when it does not exist. */
  async load(accountId: number): Promise<AccountCredentials> {
    const row = await this.prisma.account.findUnique({
      where: { id: accountId },
      select: { id: true, authType: true, authData: true, provider: { select: { name: true, kind: true } } },
    });
    if (row === null) throw new AppError('NOT_FOUND', `account ${accountId} not found`);
    let data: unknown;
    try {
      data = this.cipher.decryptJson(row.authData);
    } catch (error) {
      // The cause says why (wrong key, tampered data) without carrying the plaintext.
      throw new AppError('INTERNAL', `credentials of account ${accountId} cannot be decrypted`, { cause: error });
    }
    return { id: row.id, providerName: row.provider.name, providerKind: row.provider.kind, secret: parseAuthSecret(accountId, row.authType, data) };
  }

  /** Loads an OAuth account's data; INTERNAL when the account is not an OAuth account. */
  async loadOAuth(accountId: number): Promise<OAuthData> {
    const { secret } = await this.load(accountId);
    if (secret.authType !== 'oauth') throw new AppError('INTERNAL', `account ${accountId} is not an oauth account`);
    return secret.oauth;
  }

  /** Encrypts and stores an OAuth account's data (callers hold the account's refresh lock). */
  async saveOAuth(accountId: number, data: OAuthData): Promise<void> {
    await this.prisma.account.update({ where: { id: accountId }, data: { authData: this.cipher.encryptJson(data) } });
  }
}
