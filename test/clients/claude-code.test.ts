import { openSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeReplyText } from '@aigw/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTargetPerKind, startClientsStack, type ClientsStack } from './support/clients-stack.js';
import { PROMPT } from './support/expectations.js';
import { installedBin, jsonLines, runCli, scratchDir, type CliRun } from './support/run-cli.js';

// Claude Code (`@anthropic-ai/claude-code`) in headless mode, `claude -p`, with its default tool set,
// pointed at the gateway the documented way (ANTHROPIC_BASE_URL + ANTHROPIC_API_KEY, the models by
// ANTHROPIC_MODEL / ANTHROPIC_SMALL_FAST_MODEL), telemetry, error reporting and updates off. Its requests
// are big (~115 KB: two dozen tools, system reminders), always streamed, with `?beta=true`, anthropic-beta
// headers, thinking, metadata and context_management. Against every provider kind:
// - a plain answer: what the user reads is the model's text;
// - a tool loop: the model calls Read on a file the test wrote, Claude Code reads it, sends the
//   tool_result back, and the final answer reports the file's content.

// A healthy run takes seconds; a request the gateway never answers ends at Claude Code's own request
// timeout (its retries are off), well before the process is killed and the test times out.
const API_TIMEOUT_MS = 25_000;
const CLI_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 60_000;
const SECRET_LINE = 'The launch code is falcon-42.';

let stack: ClientsStack;

beforeAll(async () => {
  stack = await startClientsStack('claude');
});

afterAll(async () => {
  await stack?.teardown();
});

/** The native binary that `claude` is once installed; the package's own fallback launcher when postinstall did not run. */
function claudeCommand(): { command: string; prefix: string[] } {
  const exe = installedBin('@anthropic-ai/claude-code/bin/claude.exe');
  if (exe !== undefined && isElf(exe)) return { command: exe, prefix: [] };
  const wrapper = installedBin('@anthropic-ai/claude-code/cli-wrapper.cjs');
  if (wrapper === undefined) throw new Error('@anthropic-ai/claude-code is not installed (npm ci)');
  return { command: process.execPath, prefix: [wrapper] };
}

function isElf(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(fd);
  }
}

async function claude(model: string, prompt: string, work: string, home: string): Promise<{ run: CliRun; events: Array<Record<string, unknown>> }> {
  const { command, prefix } = claudeCommand();
  const run = await runCli(command, [...prefix, '-p', prompt, '--output-format', 'stream-json', '--verbose'], {
    cwd: work,
    timeoutMs: CLI_TIMEOUT_MS,
    env: {
      HOME: home,
      CLAUDE_CONFIG_DIR: join(home, '.claude'),
      ANTHROPIC_BASE_URL: stack.ingressUrl,
      ANTHROPIC_API_KEY: stack.clientKey,
      ANTHROPIC_MODEL: model,
      ANTHROPIC_SMALL_FAST_MODEL: model,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      // Its own retries would turn a gateway error into minutes of backoff.
      CLAUDE_CODE_MAX_RETRIES: '0',
      API_TIMEOUT_MS: String(API_TIMEOUT_MS),
    },
  });
  return { run, events: jsonLines(run.stdout) };
}

type Block = { type: string; name?: string; input?: unknown; text?: string };

/** The content blocks of every assistant message in the stream-json output. */
function assistantBlocks(events: Array<Record<string, unknown>>): Block[] {
  return events
    .filter((e) => e['type'] === 'assistant')
    .flatMap((e) => ((e['message'] as { content?: Block[] } | undefined)?.content ?? []));
}

function resultOf(events: Array<Record<string, unknown>>, run: CliRun): Record<string, unknown> {
  const result = events.find((e) => e['type'] === 'result');
  if (result !== undefined && result['is_error'] === true) throw new Error(`claude -p failed: ${String(result['result'])} (exit ${run.code})`);
  if (result === undefined) {
    throw new Error(`claude printed no result (exit ${run.code}${run.timedOut ? ', timed out' : ''}): ${run.stderr.slice(-2000)} ${run.stdout.slice(-2000)}`);
  }
  return result;
}

describe.each(oneTargetPerKind('claude'))('Claude Code claude -p → $label ($model)', (target) => {
  it('answers a prompt: the text the user reads and the token usage', async () => {
    const dir = scratchDir('claude');
    try {
      const { run, events } = await claude(target.model, `${PROMPT} [emu tool=none]`, dir.work, dir.home);
      const result = resultOf(events, run);
      expect(result['is_error']).toBe(false);
      expect(result['result']).toBe(composeReplyText(target.model, PROMPT));
      const usage = result['usage'] as { input_tokens: number; output_tokens: number };
      // Claude Code's own system prompt and tool list are thousands of words.
      expect(usage.input_tokens).toBeGreaterThan(1000);
      expect(usage.output_tokens).toBeGreaterThan(0);
      expect(run.code).toBe(0);
    } finally {
      dir.cleanup();
    }
  }, TEST_TIMEOUT_MS);

  it('runs a tool loop: the model calls Read on the file, Claude Code sends the result back, the answer reports it', async () => {
    const dir = scratchDir('claude');
    try {
      const file = join(dir.work, 'notes.txt');
      writeFileSync(file, `${SECRET_LINE}\n`);
      const { run, events } = await claude(target.model, `What does notes.txt say? [emu tool=Read arg.file_path=${file}]`, dir.work, dir.home);
      const result = resultOf(events, run);
      const calls = assistantBlocks(events).filter((b) => b.type === 'tool_use');
      expect(calls.map((c) => [c.name, c.input])).toEqual([['Read', { file_path: file }]]);
      const toolResults = events
        .filter((e) => e['type'] === 'user')
        .flatMap((e) => ((e['message'] as { content?: Array<{ type: string; is_error?: boolean }> }).content ?? []))
        .filter((b) => b.type === 'tool_result');
      expect(toolResults).toHaveLength(1);
      expect(toolResults[0]?.is_error ?? false).toBe(false);
      expect(result['is_error']).toBe(false);
      expect(result['num_turns']).toBe(2);
      const answer = String(result['result']);
      expect(answer.startsWith('Tool Read returned: ')).toBe(true);
      expect(answer).toContain(SECRET_LINE);
      expect(run.code).toBe(0);
    } finally {
      dir.cleanup();
    }
  }, TEST_TIMEOUT_MS);
});
