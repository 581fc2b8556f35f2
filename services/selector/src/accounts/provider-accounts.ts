import type { Account } from '@aigw/proto';

/** An account the selector may hand out, with what the ring walk needs beside the proto message. */
export interface SelectableAccount {
  account: Account;
  /** Requests per minute window; 0 = unlimited. */
  limit: number;
}

/** The active accounts of one active provider, in id order (the ring). */
export interface ProviderAccounts {
  providerId: number;
  providerName: string;
  accounts: SelectableAccount[];
}

/** The columns the loader reads; never `authData`. */
export interface ProviderRow {
  id: number;
  name: string;
  kind: string;
  /** null: the kind's own wire. */
  wire: string | null;
  baseUrl: string;
  accounts: {
    id: number;
    label: string;
    authType: string;
    baseUrl: string | null;
    settings: string | null;
    proxyId: number | null;
    /** 'pool' (only through a proxy) | 'direct' (the operator chose no proxy). */
    egress: string;
    rateLimitPerMin: number | null;
  }[];
}

type AccountRow = ProviderRow['accounts'][number];

/**
 * DESIGN §9: an account bound to the proxy pool never goes out directly. Without a proxy (the pool had no room,
 * or its proxy was disabled and no other has room) it is left out of the ring until recalculation gives it one.
 */
export function waitsForProxy(row: Pick<AccountRow, 'proxyId' | 'egress'>): boolean {
  return row.egress !== 'direct' && row.proxyId === null;
}

/** An active account that is not selectable because it has no proxy yet. */
export interface AccountWithoutProxy {
  id: number;
  label: string;
  providerName: string;
}

/** The accounts of `rows` that waitsForProxy leaves out of the rings. */
export function accountsWithoutProxy(rows: readonly ProviderRow[]): AccountWithoutProxy[] {
  return rows.flatMap((provider) =>
    provider.accounts.filter(waitsForProxy).map((row) => ({ id: row.id, label: row.label, providerName: provider.name })),
  );
}

/**
 * Turns provider rows into rings: id order, the account's base URL over the provider's, proto-ready; accounts
 * that wait for a proxy (waitsForProxy) are left out.
 */
export function toProviderAccounts(rows: readonly ProviderRow[]): ProviderAccounts[] {
  return rows.map((provider) => ({
    providerId: provider.id,
    providerName: provider.name,
    accounts: provider.accounts
      .filter((row) => !waitsForProxy(row))
      .sort((a, b) => a.id - b.id)
      .map((row) => ({
        account: {
          id: row.id,
          providerId: provider.id,
          providerName: provider.name,
          providerKind: provider.kind,
          label: row.label,
          baseUrl: row.baseUrl || provider.baseUrl,
          proxyId: row.proxyId ?? 0,
          authType: row.authType,
          settingsJson: row.settings ?? '',
          providerWire: provider.wire ?? '',
          poolEgress: row.egress !== 'direct',
        },
        limit: row.rateLimitPerMin !== null && row.rateLimitPerMin > 0 ? row.rateLimitPerMin : 0,
      })),
  }));
}
