import { startChild, tsEntryArgs, type RunningChild } from '../processes/child-process.js';
import { ANTHROPIC_HEADERS } from './emulator-target.js';
import type { Target } from './target.js';

export interface ProxyHop {
  child: RunningChild;
  target: Target;
}

/** Starts the bare node:http + undici Pool hop in front of the emulator. */
export async function startProxyHop(upstreamUrl: string): Promise<ProxyHop> {
  const child = await startChild({
    label: 'proxy-hop',
    command: process.execPath,
    args: tsEntryArgs('bench/src/processes/proxy-hop-main.ts'),
    env: { ...process.env, UPSTREAM_URL: upstreamUrl, PORT: '0' },
    readyLine: /^\{"ready":true,"url":"([^"]+)"\}$/,
  });
  const url = child.ready[1] ?? '';
  return {
    child,
    target: {
      name: 'proxy-hop',
      chatUrl: `${url}/v1/chat/completions`,
      headers: { authorization: 'Bearer sk-bench-direct' },
      // The hop forwards any path as it came: the emulator's own endpoints, one hop away.
      messages: { url: `${url}/v1/messages`, headers: ANTHROPIC_HEADERS },
      responses: { url: `${url}/v1/responses`, headers: { authorization: 'Bearer sk-bench-direct' } },
      processes: [{ label: 'proxy-hop', pid: child.pid }],
    },
  };
}
