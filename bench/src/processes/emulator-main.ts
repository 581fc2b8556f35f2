import { startUpstreamEmulator } from '@aigw/emulators';

// The upstream of every target, alone in its process: only the LLM emulator (no OAuth endpoint, no forward
// proxies), steered per request by the `[emu …]` directive in the message, so that every target sends the
// very same body. Prints `{"ready":true,"url":…}` once listening; SIGTERM closes it.

async function main(): Promise<void> {
  const port = Number(process.env['EMU_UPSTREAM_PORT'] ?? 0);
  // A small ring buffer: the benchmark never reads the recorded requests.
  const upstream = await startUpstreamEmulator({ host: '127.0.0.1', port, recordLimit: 1_000 });
  console.log(JSON.stringify({ ready: true, url: upstream.url }));
  const close = () => void upstream.close().then(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
