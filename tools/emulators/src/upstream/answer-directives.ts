import { DIRECTIVE_PATTERN } from './steering.js';

// `[emu ...]` keys that shape the answer rather than the transport (steering.ts owns status, delays and
// cuts). They live in the same directive so end-to-end tests reach them through the gateway:
//   tool=none        answer with text even though tools are declared
//   tool=<name>      call this declared tool instead of the first one
//   thinking=on|off  start the answer with a reasoning block (or not), whatever the request asked
//   cached=N         report N cached input tokens
//   arg.<name>=<v>   call the tool with argument <name> set to <v> (read per the tool's schema: a number,
//                    a boolean, else the text), the way a model fills in what the user asked for, e.g.
//                    `[emu tool=Read arg.file_path=/tmp/notes.txt]` makes an agent read that file

export interface AnswerDirectives {
  /** 'none', or the name of a declared tool to call. */
  tool?: string;
  thinking?: boolean;
  cachedTokens?: number;
  /** Tool arguments the user asked for (`arg.<name>=<value>`), by property name, as written. */
  args?: Record<string, string>;
}

const ON = new Set(['on', 'true', '1', 'yes']);
const OFF = new Set(['off', 'false', '0', 'no']);

/** Answer directives found in text; undefined when there are none (the common case). Later keys win. */
export function parseAnswerDirectives(text: string): AnswerDirectives | undefined {
  if (!text.includes('[emu')) return undefined;
  let found: AnswerDirectives | undefined;
  for (const match of text.matchAll(DIRECTIVE_PATTERN)) {
    for (const pair of (match[1] ?? '').trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (key === 'tool' && value !== '') {
        found = { ...found, tool: value };
      } else if (key === 'thinking' && (ON.has(value) || OFF.has(value))) {
        found = { ...found, thinking: ON.has(value) };
      } else if (key.startsWith('arg.') && key.length > 4) {
        found = { ...found, args: { ...found?.args, [key.slice(4)]: value } };
      } else if (key === 'cached') {
        const n = Number(value);
        if (Number.isInteger(n) && n >= 0) found = { ...found, cachedTokens: n };
      }
    }
  }
  return found;
}
