import { startChild, tsEntryArgs, type RunningChild } from '../processes/child-process.js';
import type { Target } from './target.js';

/** Any key works for the emulator's OpenAI format (only OAuth bearers are checked). */
export const DIRECT_KEY = 'sk-bench-direct';

/** What Claude Code sends the Messages API with an API key (any key passes the emulator). */
export const ANTHROPIC_HEADERS: Record<string, string> = { 'x-api-key': 'sk-ant-bench-direct', 'anthropic-version': '2023-06-01' };

export interface Emulator {
  child: RunningChild;
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The OAuth token endpoint the gateway's antigravity accounts refresh at (same process). */
  tokenUrl: string;
  /** The emulator itself as the "direct" target. */
  direct: Target;
}

/** Starts the upstream emulator in its own process. */
export async function startEmulator(): Promise<Emulator> {
  const child = await startChild({
    label: 'emulator',
    command: process.execPath,
    args: tsEntryArgs('bench/src/processes/emulator-main.ts'),
    readyLine: /^\{"ready":true,"url":"([^"]+)","tokenUrl":"([^"]+)"\}$/,
  });
  const url = child.ready[1] ?? '';
  return {
    child,
    url,
    tokenUrl: child.ready[2] ?? '',
    direct: {
      name: 'direct',
      chatUrl: `${url}/v1/chat/completions`,
      headers: { authorization: `Bearer ${DIRECT_KEY}` },
      messages: { url: `${url}/v1/messages`, headers: ANTHROPIC_HEADERS },
      responses: { url: `${url}/v1/responses`, headers: { authorization: `Bearer ${DIRECT_KEY}` } },
      processes: [],
    },
  };
}
