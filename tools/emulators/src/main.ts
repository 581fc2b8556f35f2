import { startOAuthEmulator } from './oauth/oauth-emulator.js';
import { startForwardProxy, type ForwardProxy } from './proxy/forward-proxy.js';
import { startUpstreamEmulator } from './upstream/upstream-emulator.js';

// Starts the upstream emulator, the OAuth token endpoint and the forward proxies for the demo and
// manual runs. Env: EMU_HOST (127.0.0.1), EMU_UPSTREAM_PORT (9100), EMU_OAUTH_PORT (9101),
// EMU_PROXY_PORTS ("9102,9103": proxy-1, proxy-2, …), optional EMU_PROXY_USERNAME / EMU_PROXY_PASSWORD.

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got ${raw}`);
  return value;
}

function proxyPorts(): number[] {
  const raw = process.env.EMU_PROXY_PORTS ?? '9102,9103';
  if (raw.trim() === '') return [];
  return raw.split(',').map((p, i) => {
    const value = Number(p.trim());
    if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`EMU_PROXY_PORTS entry ${i + 1} is not a port: ${p}`);
    return value;
  });
}

async function main(): Promise<void> {
  const host = process.env.EMU_HOST ?? '127.0.0.1';
  const username = process.env.EMU_PROXY_USERNAME || undefined;
  const password = process.env.EMU_PROXY_PASSWORD || undefined;

  const oauth = await startOAuthEmulator({ host, port: port('EMU_OAUTH_PORT', 9101) });
  const upstream = await startUpstreamEmulator({
    host,
    port: port('EMU_UPSTREAM_PORT', 9100),
    validateBearer: (token) => oauth.isValidAccessToken(token),
  });
  const proxies: ForwardProxy[] = [];
  for (const [i, p] of proxyPorts().entries()) {
    proxies.push(
      await startForwardProxy({
        name: `proxy-${i + 1}`,
        host,
        port: p,
        ...(username === undefined ? {} : { username, password: password ?? '' }),
      }),
    );
  }

  console.log(`upstream emulator  ${upstream.url}  (openai /v1/chat/completions, anthropic /v1/messages, gemini /v1beta/models/*, antigravity /v1internal:*)`);
  console.log(`oauth emulator     ${oauth.url}`);
  // Never print the proxy password, even an emulator's.
  for (const proxy of proxies) console.log(`forward proxy      ${proxy.url.replace(/:[^:@/]*@/, ':***@')}  (${proxy.name})`);

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    Promise.all([upstream.close(), oauth.close(), ...proxies.map((p) => p.close())]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
