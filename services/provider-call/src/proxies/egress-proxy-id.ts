import type { Account } from '@aigw/proto';
import { AppError } from '@aigw/errors';

/**
 * The proxy an account's upstream calls go through (0: direct). An account bound to the proxy pool with no proxy
 * is refused rather than sent direct (DESIGN §9): selector leaves such accounts out, so this only catches a
 * stale selection made before the account lost its proxy; the attempt loop tries the next account.
 */
export function egressProxyId(account: Pick<Account, 'id' | 'proxyId'> & { poolEgress?: boolean }): number {
  if (account.proxyId === 0 && account.poolEgress === true) {
    throw new AppError('UPSTREAM_UNREACHABLE', `account ${account.id} goes out through the proxy pool and has no proxy; it is never sent direct`);
  }
  return account.proxyId;
}
