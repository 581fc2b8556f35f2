import { startChild, tsEntryArgs, type RunningChild } from '../processes/child-process.js';
import type { Target } from './target.js';

/** Any key works for the emulator's OpenAI format (only OAuth bearers are checked). */
const DIRECT_KEY = 'sk-bench-direct';

export interface Emulator {
  child: RunningChild;
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The emulator itself as the "direct" target. */
  direct: Target;
}

/** Starts the upstream emulator in its own process. */
export async function startEmulator(): Promise<Emulator> {
  const child = await startChild({
    label: 'emulator',
    command: process.execPath,
    args: tsEntryArgs('bench/src/processes/emulator-main.ts'),
    readyLine: /^\{"ready":true,"url":"([^"]+)"\}$/,
  });
  const url = child.ready[1] ?? '';
  return {
    child,
    url,
    direct: { name: 'direct', chatUrl: `${url}/v1/chat/completions`, headers: { authorization: `Bearer ${DIRECT_KEY}` }, processes: [] },
  };
}
