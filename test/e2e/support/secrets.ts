import type { E2eContext } from './e2e-stack.js';
import { loadAccounts } from './backends.js';

// Every credential the stack knows of, gathered from where it really lives (decrypted database rows,
// the emulators' records), so a log line holding any of them is caught. Values shorter than 8
// characters are skipped: they would match by accident.

const NOT_SECRET = new Set(['clientId', 'tokenUrl', 'expiresAt']);

/** Secret value → what it is (the description is safe to print). */
export async function knownSecrets(ctx: E2eContext, extra: Record<string, string> = {}): Promise<Map<string, string>> {
  const { stack } = ctx;
  const secrets = new Map<string, string>();
  const add = (value: unknown, what: string) => {
    if (typeof value === 'string' && value.length >= 8 && !secrets.has(value)) secrets.set(value, what);
  };
  add(stack.demoKey, 'demo API key');
  add(stack.adminToken, 'admin token');
  add(stack.encryptionKey, 'encryption key (hex)');
  add(Buffer.from(stack.encryptionKey, 'hex').toString('base64'), 'encryption key (base64)');
  for (const account of await loadAccounts(ctx)) {
    for (const [field, value] of Object.entries(account.authData)) {
      if (!NOT_SECRET.has(field)) add(value, `${field} of account ${account.label}`);
    }
  }
  const proxyUrls = [...(await ctx.prisma.proxy.findMany()).map((p) => p.proxyUrl), ...stack.emulators.proxies.map((p) => p.url)];
  for (const proxyUrl of proxyUrls) {
    const password = decodeURIComponent(new URL(proxyUrl).password);
    add(password, 'proxy password');
    if (password !== '') add(proxyUrl, 'proxy URL with password');
  }
  for (const request of stack.emulators.upstream.requests()) add(request.credential, `upstream credential (${request.format})`);
  for (const proxy of stack.emulators.proxies) {
    for (const credential of Object.keys(proxy.stats().byCredential)) add(credential, `upstream credential seen by ${proxy.name}`);
  }
  for (const [what, value] of Object.entries(extra)) add(value, what);
  for (const [value, what] of ctx.seededSecrets) add(value, `${what} (as seeded)`);
  return secrets;
}

/** `service: what` for every captured log line that contains a known secret. */
export function findLeaks(lines: string[], secrets: Map<string, string>): string[] {
  const leaks: string[] = [];
  for (const line of lines) {
    for (const [value, what] of secrets) {
      if (line.includes(value)) leaks.push(`${line.slice(0, line.indexOf(' '))}: ${what}`);
    }
  }
  return leaks;
}
