import { AGENT_TOOLS } from './agent-turn-tools.js';

// S7's request: one turn of a coding agent as Claude Code sends it to the Anthropic Messages API, about
// 100 KB: a system prompt in text blocks (the last marked for prompt caching), 20 tool definitions, 40 prior
// turns (the assistant's text and tool_use blocks, the user's tool_result blocks with file contents and
// command output) and the new user message, which carries the emulator's `[emu …]` directive (the emulator
// reads steering from the last user text, in every format the gateway may translate it to). The same seed
// gives the same bytes: every target and every run carries exactly this body.

/** What the builder aims at; the whole body lands within a few hundred bytes of it. */
export const AGENT_TURN_BYTES = 100_000;
/** Prior turns: 20 assistant messages with tool calls and the 20 user messages answering them. */
export const PRIOR_TURNS = 40;

/** A small deterministic generator (mulberry32): plausible, varied text without Math.random. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const IDENTIFIERS = ['request', 'account', 'provider', 'route', 'budget', 'stream', 'chunk', 'token', 'usage', 'model', 'session', 'affinity', 'cache', 'limit', 'window', 'event', 'batch', 'outbox', 'header', 'payload'];
const VERBS = ['read', 'parse', 'select', 'encode', 'decode', 'forward', 'record', 'refresh', 'resolve', 'check', 'flush', 'merge'];
const TYPES = ['string', 'number', 'boolean', 'Buffer', 'Uint8Array', 'Map<string, number>', 'readonly string[]', 'Promise<void>'];
const FILES = ['services/ingress/src/proxying/forward-request.ts', 'services/selector/src/pick-account.ts', 'libs/formats/src/sse-parser.ts', 'services/provider-call/src/wire/anthropic/anthropic-client.ts', 'libs/bus/src/log-publisher.ts', 'services/auth/src/token-refresh.ts', 'services/logging/src/writer/batch-writer.ts', 'libs/config/src/env-schema.ts', 'services/ingress/src/request-log/outbox.ts', 'tools/dev/src/stack.ts'];

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const camel = (a: string, b: string) => `${a}${b.charAt(0).toUpperCase()}${b.slice(1)}`;

/** One line of TypeScript-looking source. */
function codeLine(rng: Rng, indent: number): string {
  const pad = ' '.repeat(indent);
  const a = pick(rng, IDENTIFIERS);
  const b = pick(rng, IDENTIFIERS);
  const verb = pick(rng, VERBS);
  switch (Math.floor(rng() * 7)) {
    case 0: return `${pad}const ${camel(a, b)} = await ${camel(verb, a)}(${b}, { timeoutMs: ${Math.floor(rng() * 5000)} });`;
    case 1: return `${pad}if (${a}.${b} === undefined) throw new AppError('INVALID_REQUEST', \`${a} has no ${b}\`);`;
    case 2: return `${pad}// ${verb[0]?.toUpperCase()}${verb.slice(1)}s the ${a} before the ${b} is ${pick(rng, VERBS)}ed, so that a retry sees the same ${pick(rng, IDENTIFIERS)}.`;
    case 3: return `${pad}export function ${camel(verb, b)}(${a}: ${pick(rng, TYPES)}, ${b}: ${pick(rng, TYPES)}): ${pick(rng, TYPES)} {`;
    case 4: return `${pad}for (const ${a} of ${b}s) total += ${a}.${pick(rng, IDENTIFIERS)}Bytes ?? 0;`;
    case 5: return `${pad}return { ...${a}, ${b}: ${camel(verb, b)}(${a}.${b}), at: Date.now() };`;
    default: return `${pad}}`;
  }
}

/** What a Read returns: numbered source lines (`     1\t…`). */
function fileContents(rng: Rng, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let n = 1; size < bytes; n++) {
    const line = `${String(n).padStart(6)}\t${codeLine(rng, 2 * Math.floor(rng() * 3))}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

/** What a Bash test run or Grep prints. */
function commandOutput(rng: Rng, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const file = pick(rng, FILES);
    const line =
      rng() < 0.5
        ? `${file}:${Math.floor(rng() * 400) + 1}:  ${codeLine(rng, 0)}`
        : ` ✓ ${file.replace(/\.ts$/, '.test.ts')} > ${pick(rng, VERBS)}s the ${pick(rng, IDENTIFIERS)} when the ${pick(rng, IDENTIFIERS)} is ${pick(rng, ['empty', 'full', 'stale', 'missing', 'late'])} (${Math.floor(rng() * 90) + 2} ms)`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function systemPrompt(rng: Rng): { type: 'text'; text: string; cache_control?: { type: 'ephemeral' } }[] {
  const guidance = Array.from({ length: 40 }, (_, i) => `${i + 1}. When you ${pick(rng, VERBS)} a ${pick(rng, IDENTIFIERS)}, ${pick(rng, VERBS)} its ${pick(rng, IDENTIFIERS)} first and say what you changed in one sentence.`);
  return [
    { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." },
    {
      type: 'text',
      text:
        'You are an interactive CLI tool that helps users with software engineering tasks. Use the instructions below and the tools available to you to assist the user.\n\n' +
        '# Tone and style\nBe concise, direct, and to the point. Answer in fewer than 4 lines unless the user asks for detail.\n\n' +
        `# Doing tasks\n${guidance.join('\n')}\n\n` +
        '<env>\nWorking directory: /home/dev/aigateway\nIs directory a git repo: Yes\nPlatform: linux\nOS Version: Linux 6.8.0\nToday\'s date: 2026-12-07\n</env>\n' +
        `gitStatus: This is the git status at the start of the conversation.\nCurrent branch: perf-round-two\n\nStatus:\n${FILES.map((f) => ` M ${f}`).join('\n')}`,
      cache_control: { type: 'ephemeral' },
    },
  ];
}

interface ToolCall {
  name: string;
  input: Record<string, unknown>;
  result: (rng: Rng, bytes: number) => string;
}

/** The 20 calls of the conversation, in turn: reads, searches, test runs, edits. */
function toolCall(rng: Rng, turn: number): ToolCall {
  const file = `/home/dev/aigateway/${FILES[turn % FILES.length] as string}`;
  switch (turn % 5) {
    case 0: return { name: 'Read', input: { file_path: file }, result: fileContents };
    case 1: return { name: 'Grep', input: { pattern: `${pick(rng, VERBS)}[A-Z]\\w+`, path: '/home/dev/aigateway', output_mode: 'content', '-n': true }, result: commandOutput };
    case 2: return { name: 'Bash', input: { command: `npx vitest run ${FILES[turn % FILES.length] as string}`, description: 'Run the tests of the changed file' }, result: commandOutput };
    case 3: return { name: 'Read', input: { file_path: file, offset: 120, limit: 200 }, result: fileContents };
    default: return { name: 'Edit', input: { file_path: file, old_string: codeLine(rng, 2), new_string: codeLine(rng, 2) }, result: (r, bytes) => `The file ${file} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${fileContents(r, bytes)}` };
  }
}

const toolUseId = (rng: Rng) => `toolu_01${Array.from({ length: 22 }, () => pick(rng, [...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789'])).join('')}`;

export interface AgentTurnOptions {
  model: string;
  /** The `[emu …]` directive the new user message ends with (stream shape, delays). */
  directive: string;
  seed?: number;
}

/** The request body (an object; JSON.stringify it once and send the same bytes every time). */
export function agentTurnBody(options: AgentTurnOptions): Record<string, unknown> {
  const rng = generator(options.seed ?? 17);
  const system = systemPrompt(rng);
  const calls = Array.from({ length: PRIOR_TURNS / 2 }, (_, turn) => ({ id: toolUseId(rng), call: toolCall(rng, turn), turn }));
  const opening = { role: 'user', content: [{ type: 'text', text: 'The agent-turn benchmark is slow on big bodies. Find where ingress copies the request body and make it parse once.' }] };
  const closing = { role: 'assistant', content: [{ type: 'text', text: 'The body is now parsed once in ingress and forwarded as bytes; the tests pass.' }] };
  const final = { role: 'user', content: [{ type: 'text', text: `Good. Now summarise what changed, file by file. ${options.directive}` }] };
  const skeleton = (results: string[]) => ({
    model: options.model,
    max_tokens: 32_000,
    system,
    tools: AGENT_TOOLS,
    messages: [
      opening,
      ...calls.flatMap(({ id, call, turn }) => [
        { role: 'assistant', content: [{ type: 'text', text: `Step ${turn + 1}: I'll use ${call.name} to look at this.` }, { type: 'tool_use', id, name: call.name, input: call.input }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: results[turn] ?? '' }] },
      ]),
      closing,
      final,
    ],
    metadata: { user_id: 'user_5f1c0e2b9a7d4c3e8f6a1b2c3d4e5f60_account__session_0b6e3c1d-8a2f-4e5b-9c7d-1f2e3a4b5c6d' },
    stream: true,
  });
  // The tool results fill what the rest leaves of the budget, evenly: the size holds whatever the tools weigh.
  const frame = JSON.stringify(skeleton(calls.map(() => ''))).length;
  const each = Math.max(200, Math.floor((AGENT_TURN_BYTES - frame) / calls.length));
  // JSON escapes (\n, \t, \") make each result's text a little longer on the wire than it is as a string.
  const results = calls.map(({ call }) => trimToJson(call.result(rng, each), each));
  return skeleton(results);
}

/** `text` cut at a line end so that its JSON string (without the quotes) is at most `bytes` long. */
function trimToJson(text: string, bytes: number): string {
  const lines = text.split('\n');
  while (lines.length > 1 && Buffer.byteLength(JSON.stringify(lines.join('\n'))) - 2 > bytes) lines.pop();
  return lines.join('\n');
}
