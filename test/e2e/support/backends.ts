import { callUnary, createClient } from '@aigw/grpc';
import { AuthServiceClient, SelectorServiceClient, type Account, type Credential } from '@aigw/proto';
import type { E2eContext } from './e2e-stack.js';

// Direct looks behind ingress, for facts a client cannot see: which account holds which token,
// what a given selector replica picks. Read-only with respect to what the tests assert.

export interface DemoAccount {
  id: number;
  label: string;
  provider: string;
  authType: string;
  proxyId: number | null;
  isActive: boolean;
  /** Decrypted auth_data. */
  authData: Record<string, unknown>;
}

/** Every account with its provider name and decrypted credentials, in id order. */
export async function loadAccounts(ctx: E2eContext): Promise<DemoAccount[]> {
  const rows = await ctx.prisma.account.findMany({ include: { provider: true }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({
    id: row.id,
    label: row.label,
    provider: row.provider.name,
    authType: row.authType,
    proxyId: row.proxyId,
    isActive: row.isActive,
    authData: ctx.cipher.decryptJson<Record<string, unknown>>(row.authData),
  }));
}

const deadline = () => Date.now() + 15_000;

/** A client bound to one auth replica. */
export function authClient(address: string): AuthServiceClient {
  return createClient(AuthServiceClient, address, 'aigw.auth.v1.AuthService');
}

/** A client bound to one selector replica. */
export function selectorClient(address: string): SelectorServiceClient {
  return createClient(SelectorServiceClient, address, 'aigw.selector.v1.SelectorService');
}

/** The credential auth hands out for an account. */
export async function getCredential(client: AuthServiceClient, accountId: number): Promise<Credential> {
  const response = await callUnary(client.getCredential, client, { accountId }, deadline());
  if (response.credential === undefined) throw new Error(`auth returned no credential for account ${accountId}`);
  return response.credential;
}

/** Drops auth's cached token of an account (what ingress does after an upstream 401). */
export async function invalidateCredential(client: AuthServiceClient, accountId: number): Promise<void> {
  await callUnary(client.invalidateCredential, client, { accountId }, deadline());
}

/** One selection by one selector replica. */
export async function selectAccount(client: SelectorServiceClient, providerId: number, model: string): Promise<Account> {
  const response = await callUnary(client.selectAccount, client, { providerId, model, excludeAccountIds: [], affinityKey: '' }, deadline());
  if (response.account === undefined) throw new Error('selector returned no account');
  return response.account;
}

/** The token part of an `authorization: Bearer …` header value (the value itself otherwise). */
export const bearerToken = (credential: Credential) => credential.headerValue.replace(/^Bearer\s+/i, '');
