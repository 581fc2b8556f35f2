import type { EgressPolicy } from '@aigw/egress';
import { z } from '@aigw/config';

/**
 * Refuses an upstream URL (provider or account base URL, OAuth token URL, proxy URL) that the egress policy
 * rules out, as a 400 naming the field (`fields` of the admin error shape). Names are accepted unless
 * `localhost`-like: what they resolve to is checked on every connection (provider-call, auth).
 */
export function checkEgress(policy: EgressPolicy, field: string, url: string | null | undefined): void {
  if (url === null || url === undefined) return;
  const reason = policy.urlRefusal(url);
  if (reason === undefined) return;
  throw new z.ZodError([{ code: 'custom', path: field.split('.'), message: `refused by the egress policy: ${reason}`, input: url }]);
}
