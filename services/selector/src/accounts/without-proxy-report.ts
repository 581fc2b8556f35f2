import type { Logger } from '@aigw/logger';
import { Gauge, type Registry } from '@aigw/metrics';
import type { AccountWithoutProxy } from './provider-accounts.js';

/**
 * Says which active accounts are left out of selection because they wait for a proxy: the gauge
 * aigw_accounts_without_proxy{provider}, and a warning each time the set changes (not on every reload).
 */
export function withoutProxyReport(logger: Logger, registry?: Registry): (accounts: AccountWithoutProxy[]) => void {
  const gauge = registry
    ? new Gauge({
        name: 'aigw_accounts_without_proxy',
        help: 'Active accounts bound to the proxy pool that have no proxy (pool full or proxies disabled): not selectable until they get one',
        labelNames: ['provider'] as const,
        registers: [registry],
      })
    : undefined;
  let last = '';
  return (accounts) => {
    gauge?.reset();
    for (const { providerName } of accounts) gauge?.inc({ provider: providerName });
    const ids = accounts.map((a) => a.id).join(',');
    if (ids === last) return;
    last = ids;
    if (accounts.length === 0) logger.info('every active account bound to the proxy pool has a proxy again');
    else logger.warn({ accounts: accounts.map((a) => `${a.providerName}/${a.label}#${a.id}`) }, 'accounts without a proxy are not selectable until the pool has room (or their egress is direct)');
  };
}
