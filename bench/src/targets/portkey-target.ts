import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type RunningChild } from '../processes/child-process.js';
import { freePort } from '../processes/free-port.js';
import { ANTHROPIC_HEADERS } from './emulator-target.js';
import type { Target } from './target.js';

// The peer: Portkey's open-source gateway from npm (@portkey-ai/gateway), its own Node server
// (build/start-server.js, hono on @hono/node-server), run the way its docs run it self-hosted:
// `--headless` (no console UI or log stream) and NODE_ENV=production. It is pointed at the emulator per
// request with `x-portkey-provider: openai` and `x-portkey-custom-host: <emulator>/v1`; loopback hosts are
// on its default TRUSTED_CUSTOM_HOSTS list, so nothing needs allowing. Anthropic Messages (S7's pass-through)
// go to its /v1/messages with `x-portkey-provider: anthropic` and the same custom host; it cannot translate
// them to Cloud Code (antigravity), which it has no provider for.

/** Lets Portkey stream on Node 20 (see the file). */
const FETCH_SHIM = fileURLToPath(new URL('../processes/portkey-fetch-shim.mjs', import.meta.url));

export interface Portkey {
  child: RunningChild;
  version: string;
  target: Target;
}

function portkeyEntry(): { entry: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@portkey-ai/gateway/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const entry = join(dirname(manifest), 'build', 'start-server.js');
  if (!existsSync(entry)) throw new Error(`@portkey-ai/gateway ${version} has no build/start-server.js`);
  return { entry, version };
}

/** Starts Portkey on a free port; throws with the reason when it cannot run here. */
export async function startPortkey(upstreamUrl: string): Promise<Portkey> {
  const { entry, version } = portkeyEntry();
  const port = await freePort();
  // Only what node needs: Portkey reads HTTP(S)_PROXY, AWS_*, AZURE_* … from the environment.
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', NODE_ENV: 'production' };
  const child = await startChild({
    label: 'portkey',
    command: process.execPath,
    args: ['--import', FETCH_SHIM, entry, '--headless', `--port=${port}`],
    env,
    readyLine: /Ready for connections/,
  });
  return {
    child,
    version,
    target: {
      name: 'portkey',
      chatUrl: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: {
        authorization: 'Bearer sk-bench-direct',
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${upstreamUrl}/v1`,
      },
      messages: {
        url: `http://127.0.0.1:${port}/v1/messages`,
        headers: { ...ANTHROPIC_HEADERS, 'x-portkey-provider': 'anthropic', 'x-portkey-custom-host': `${upstreamUrl}/v1` },
      },
      responses: {
        url: `http://127.0.0.1:${port}/v1/responses`,
        headers: { authorization: 'Bearer sk-bench-direct', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl}/v1` },
      },
      processes: [{ label: 'portkey', pid: child.pid }],
      diagnose: () => diagnose(child.tail()),
    },
  };
}

/** The last error line of Portkey's output, with the known cause when it is the immutable-headers bug. */
function diagnose(output: string): string | undefined {
  const line = output
    .split('\n')
    .filter((l) => /error/i.test(l))
    .at(-1)
    ?.trim();
  if (line === undefined) return undefined;
  if (!line.includes('immutable')) return line;
  // Portkey adds headers to the upstream fetch Response, whose headers are immutable (Portkey-AI/gateway#1389).
  // Pinning @hono/node-server to 1.14.2 did not cure it here; Portkey declares engines node >= 22, we run 20.
  return (
    `${line} — Portkey adds headers to an immutable fetch Response when streaming (Portkey-AI/gateway#1389); ` +
    `it declares Node >= 22 and this is Node ${process.versions.node} (@hono/node-server ${installedVersion('@hono/node-server')})`
  );
}

function installedVersion(name: string): string {
  try {
    const require = createRequire(require0());
    // Packages with an "exports" map may not export package.json: walk up from their entry point.
    let dir = dirname(require.resolve(name));
    for (let depth = 0; depth < 5; depth++, dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (json.name === name) return json.version ?? 'unknown';
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

/** Resolution starts where Portkey itself resolves its dependencies. */
function require0(): string {
  return createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json');
}
