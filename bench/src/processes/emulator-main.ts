import { startOAuthEmulator, startUpstreamEmulator } from '@aigw/emulators';

// The upstream of every target, alone in its process: the LLM emulator and, for the gateway's antigravity
// accounts (S7's translated route), the OAuth token endpoint they refresh at. No forward proxies. Steered per
// request by the `[emu …]` directive in the message, so that every target sends the very same body. As in
// tools/dev, the upstream accepts only OAuth bearers the token endpoint issued (API keys are not checked).
// Prints `{"ready":true,"url":…,"tokenUrl":…}` once listening; SIGTERM closes it.

async function main(): Promise<void> {
  const port = Number(process.env['EMU_UPSTREAM_PORT'] ?? 0);
  const oauth = await startOAuthEmulator({ host: '127.0.0.1', port: 0 });
  // A small ring buffer: the benchmark never reads the recorded requests.
  const upstream = await startUpstreamEmulator({
    host: '127.0.0.1',
    port,
    recordLimit: 1_000,
    validateBearer: (token) => oauth.isValidAccessToken(token),
  });
  console.log(JSON.stringify({ ready: true, url: upstream.url, tokenUrl: oauth.url }));
  const close = () => void Promise.allSettled([upstream.close(), oauth.close()]).then(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
