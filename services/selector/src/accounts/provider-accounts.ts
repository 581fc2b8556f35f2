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
    rateLimitPerMin: number | null;
  }[];
}

/** Turns provider rows into rings: id order, the account's base URL over the provider's, proto-ready. */
export function toProviderAccounts(rows: readonly ProviderRow[]): ProviderAccounts[] {
  return rows.map((provider) => ({
    providerId: provider.id,
    providerName: provider.name,
    accounts: [...provider.accounts]
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
        },
        limit: row.rateLimitPerMin !== null && row.rateLimitPerMin > 0 ? row.rateLimitPerMin : 0,
      })),
  }));
}
