/** The fields of an account that decide its proxy binding. */
export interface AccountBinding {
  id: number;
  proxyId: number | null;
  isActive: boolean;
  /** 'direct': the operator chose no proxy for it (it takes no slot); anything else goes through the pool. */
  egress?: string;
}

/** The fields of a proxy that decide how many accounts it takes. */
export interface ProxySlot {
  id: number;
  capacity: number;
  isActive: boolean;
}

/**
 * Binds accounts to proxies, fill-first and sticky: an active account keeps its active proxy while that
 * proxy has room (existing bindings are honoured first, in account id order), every other active account
 * goes to the first active proxy (id order) with room, and none left means none (null): such an account is
 * not selectable until it has a proxy (DESIGN §9), never sent direct. Inactive and `direct` accounts get null. Pure: the same input always gives the same map, and feeding the result
 * back in changes nothing.
 */
export function assignProxies(accounts: readonly AccountBinding[], proxies: readonly ProxySlot[]): Map<number, number | null> {
  const free = new Map<number, number>();
  const activeProxyIds = proxies
    .filter((proxy) => proxy.isActive)
    .map((proxy) => proxy.id)
    .sort((a, b) => a - b);
  for (const proxy of proxies) {
    if (proxy.isActive) free.set(proxy.id, Math.max(0, Math.floor(proxy.capacity)));
  }

  const byId = [...accounts].sort((a, b) => a.id - b.id);
  const result = new Map<number, number | null>();
  const unbound: number[] = [];

  for (const account of byId) {
    if (!account.isActive || account.egress === 'direct') {
      result.set(account.id, null);
      continue;
    }
    const room = account.proxyId === null ? undefined : free.get(account.proxyId);
    if (account.proxyId !== null && room !== undefined && room > 0) {
      free.set(account.proxyId, room - 1);
      result.set(account.id, account.proxyId);
    } else {
      unbound.push(account.id);
    }
  }

  // Proxies only ever fill up, so the scan can resume where the previous account found room.
  let cursor = 0;
  for (const accountId of unbound) {
    while (cursor < activeProxyIds.length && (free.get(activeProxyIds[cursor]!) ?? 0) <= 0) cursor += 1;
    const proxyId = activeProxyIds[cursor];
    if (proxyId === undefined) {
      result.set(accountId, null);
      continue;
    }
    free.set(proxyId, (free.get(proxyId) ?? 0) - 1);
    result.set(accountId, proxyId);
  }
  return result;
}

/** The accounts whose binding differs between `accounts` and `assignments`, in account id order. */
export function changedBindings(
  accounts: readonly AccountBinding[],
  assignments: ReadonlyMap<number, number | null>,
): { accountId: number; proxyId: number | null }[] {
  return [...accounts]
    .sort((a, b) => a.id - b.id)
    .filter((account) => (assignments.get(account.id) ?? null) !== account.proxyId)
    .map((account) => ({ accountId: account.id, proxyId: assignments.get(account.id) ?? null }));
}
