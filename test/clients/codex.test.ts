import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeReplyText } from '@aigw/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTargetPerKind, startClientsStack, type ClientsStack } from './support/clients-stack.js';
import { PROMPT } from './support/expectations.js';
import { installedBin, jsonLines, runCli, scratchDir, type CliRun } from './support/run-cli.js';

// Codex CLI (`@openai/codex`) in headless mode, `codex exec --json`, with the gateway as its model provider
// the documented way: a `[model_providers.<id>]` table in $CODEX_HOME/config.toml with the gateway's
// base_url, `wire_api = "responses"` (the only wire current versions speak) and `env_key` naming the
// variable that holds the demo key. Its requests are big (~40 KB: two developer messages, a dozen tools
// including a `namespace` of functions and the built-in `web_search`), always streamed, `store: false`,
// with reasoning echoed back by encrypted_content. Against the Responses-wire provider and every kind:
// - a plain answer: what the user reads is the model's text;
// - a tool loop: the model calls exec_command (`ls`), Codex runs it, sends the function_call_output
//   back, and the final answer reports the command's output.

// Codex retries a failed stream five times with backoff by default; off, so a gateway error shows at once.
const CLI_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 60_000;
const MARKER_FILE = 'falcon-42.txt';

let stack: ClientsStack;

beforeAll(async () => {
  stack = await startClientsStack('codex');
});

afterAll(async () => {
  await stack?.teardown();
});

function configToml(model: string): string {
  return [
    `model = "${model}"`,
    'model_provider = "aigw"',
    '',
    '[model_providers.aigw]',
    'name = "AIGateway"',
    `base_url = "${stack.ingressUrl}/v1"`,
    'wire_api = "responses"',
    'env_key = "AIGW_API_KEY"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    'stream_idle_timeout_ms = 20000',
    '',
  ].join('\n');
}

async function codex(model: string, prompt: string, work: string, home: string): Promise<{ run: CliRun; events: Array<Record<string, unknown>> }> {
  const bin = installedBin('@openai/codex/bin/codex.js');
  if (bin === undefined) throw new Error('@openai/codex is not installed (npm ci)');
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(join(codexHome, 'config.toml'), configToml(model));
  // No sandbox: whether Codex's own (bubblewrap, user namespaces) works depends on the machine, not on the gateway.
  const run = await runCli(process.execPath, [bin, 'exec', '--json', '--skip-git-repo-check', '--sandbox', 'danger-full-access', prompt], {
    cwd: work,
    timeoutMs: CLI_TIMEOUT_MS,
    env: { HOME: home, CODEX_HOME: codexHome, AIGW_API_KEY: stack.clientKey },
  });
  return { run, events: jsonLines(run.stdout) };
}

type Item = { type: string; text?: string; command?: string; aggregated_output?: string; exit_code?: number | null; status?: string; message?: string };

const completedItems = (events: Array<Record<string, unknown>>): Item[] =>
  events.filter((e) => e['type'] === 'item.completed').map((e) => e['item'] as Item);

/** The turn's usage, or an error with what Codex printed when the turn did not complete. */
function completedTurn(events: Array<Record<string, unknown>>, run: CliRun): { input_tokens: number; output_tokens: number } {
  const done = events.find((e) => e['type'] === 'turn.completed');
  if (done === undefined) {
    const failure = events.find((e) => e['type'] === 'turn.failed' || e['type'] === 'error');
    throw new Error(
      `codex exec did not complete the turn (exit ${run.code}${run.timedOut ? ', timed out' : ''}): ${JSON.stringify(failure)} ${run.stderr.slice(-2000)}`,
    );
  }
  return done['usage'] as { input_tokens: number; output_tokens: number };
}

describe.each(oneTargetPerKind('claude', true))('Codex CLI codex exec → $label ($model)', (target) => {
  it('answers a prompt: the text the user reads and the token usage', async () => {
    const dir = scratchDir('codex');
    try {
      const { run, events } = await codex(target.model, `${PROMPT} [emu tool=none]`, dir.work, dir.home);
      const usage = completedTurn(events, run);
      const messages = completedItems(events).filter((i) => i.type === 'agent_message');
      expect(messages.map((m) => m.text)).toEqual([composeReplyText(target.model, PROMPT)]);
      // Codex's own instructions and tool list are thousands of words.
      expect(usage.input_tokens).toBeGreaterThan(1000);
      expect(usage.output_tokens).toBeGreaterThan(0);
      expect(run.code).toBe(0);
      expect(stack.upstreamRequests(target.model).slice(-1).map((r) => [r.format, r.stream, r.status])).toEqual([[target.wire, true, 200]]);
    } finally {
      dir.cleanup();
    }
  }, TEST_TIMEOUT_MS);

  it('runs a tool loop: the model calls exec_command, Codex runs it and sends the output back, the answer reports it', async () => {
    const dir = scratchDir('codex');
    try {
      writeFileSync(join(dir.work, MARKER_FILE), 'marker\n');
      const { run, events } = await codex(target.model, `List the files here. [emu tool=exec_command arg.cmd=ls]`, dir.work, dir.home);
      completedTurn(events, run);
      const items = completedItems(events);
      const commands = items.filter((i) => i.type === 'command_execution');
      expect(commands).toHaveLength(1);
      // The arguments arrived whole: Codex ran exactly the command the model asked for.
      expect(commands[0]?.command).toMatch(/(^|[\s'"])ls['"]?$/);
      expect(commands[0]).toMatchObject({ status: 'completed', exit_code: 0 });
      expect(commands[0]?.aggregated_output).toContain(MARKER_FILE);
      const answers = items.filter((i) => i.type === 'agent_message').map((m) => m.text ?? '');
      expect(answers).toHaveLength(1);
      // The emulator's answer to a tool result quotes it: the function_call_output reached the upstream.
      expect(answers[0]?.startsWith('Tool exec_command returned: ')).toBe(true);
      expect(answers[0]).toContain(MARKER_FILE);
      expect(run.code).toBe(0);
      expect(stack.upstreamRequests(target.model).slice(-2).map((r) => [r.format, r.stream, r.status])).toEqual([
        [target.wire, true, 200],
        [target.wire, true, 200],
      ]);
    } finally {
      dir.cleanup();
    }
  }, TEST_TIMEOUT_MS);
});
