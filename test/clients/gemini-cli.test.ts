import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeReplyText, composeThinking, countWords } from '@aigw/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTargetPerKind, startClientsStack, type ClientsStack } from './support/clients-stack.js';
import { PROMPT } from './support/expectations.js';
import { installedBin, jsonLines, runCli, scratchDir, type CliRun } from './support/run-cli.js';

// Gemini CLI (`@google/gemini-cli`) in headless mode, `gemini -p`, in API-key mode against the gateway's
// Gemini endpoint: GEMINI_API_KEY (the demo key) and GOOGLE_GEMINI_BASE_URL (the documented override of
// the Gemini API base URL), the model by GEMINI_MODEL. Its user settings (GEMINI_CLI_HOME) select the
// API-key auth and turn off auto-update, update notifications, usage statistics and telemetry, so it
// talks to nothing but the gateway. Against every provider kind: a plain streamed answer, and a tool
// loop in which the model calls read_file on a file the test wrote and the answer reports its content.

const CLI_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 60_000;
const SECRET_LINE = 'The launch code is falcon-42.';

const SETTINGS = {
  security: { auth: { selectedType: 'gemini-api-key' } },
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
};

let stack: ClientsStack;

beforeAll(async () => {
  stack = await startClientsStack('gemini');
});

afterAll(async () => {
  await stack?.teardown();
});

async function gemini(model: string, prompt: string, work: string, home: string): Promise<{ run: CliRun; events: Array<Record<string, unknown>> }> {
  const bin = installedBin('@google/gemini-cli/bundle/gemini.js') ?? installedBin('.bin/gemini');
  if (bin === undefined) throw new Error('@google/gemini-cli is not installed (npm ci)');
  mkdirSync(join(home, '.gemini'), { recursive: true });
  writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify(SETTINGS));
  const run = await runCli(process.execPath, [bin, '-p', prompt, '--output-format', 'stream-json'], {
    cwd: work,
    timeoutMs: CLI_TIMEOUT_MS,
    env: {
      HOME: home,
      GEMINI_CLI_HOME: home,
      GEMINI_API_KEY: stack.clientKey,
      GOOGLE_GEMINI_BASE_URL: stack.ingressUrl,
      GEMINI_MODEL: model,
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
      GEMINI_SANDBOX: 'false',
      GEMINI_TELEMETRY_ENABLED: 'false',
    },
  });
  return { run, events: jsonLines(run.stdout) };
}

function resultOf(events: Array<Record<string, unknown>>, run: CliRun): Record<string, unknown> {
  const result = events.find((e) => e['type'] === 'result');
  if (result === undefined || result['status'] !== 'success') {
    throw new Error(`gemini -p did not succeed (exit ${run.code}${run.timedOut ? ', timed out' : ''}): ${JSON.stringify(result)} ${run.stderr.slice(-2000)}`);
  }
  return result;
}

/** The assistant's answer as the user reads it: the streamed message deltas joined. */
const answerOf = (events: Array<Record<string, unknown>>): string =>
  events
    .filter((e) => e['type'] === 'message' && e['role'] === 'assistant')
    .map((e) => String(e['content']))
    .join('');

describe.each(oneTargetPerKind('gemini'))('Gemini CLI gemini -p → $label ($model)', (target) => {
  it('answers a prompt, streamed: the text the user reads and the token usage', async () => {
    const dir = scratchDir('gemini');
    try {
      const { run, events } = await gemini(target.model, `${PROMPT} [emu tool=none]`, dir.work, dir.home);
      const result = resultOf(events, run);
      const expected = composeReplyText(target.model, PROMPT);
      expect(answerOf(events)).toBe(expected);
      const stats = result['stats'] as { input_tokens: number; output_tokens: number };
      // Gemini CLI's own system instruction and tool declarations are thousands of words.
      expect(stats.input_tokens).toBeGreaterThan(1000);
      // It asks for thoughts, which Gemini, OpenAI and Cloud Code count apart from the answer; Anthropic's
      // output_tokens include the thinking with no split, so nothing can take it out on the way back.
      const thinking = target.kind === 'anthropic' ? composeThinking(PROMPT, { kind: 'text' }).tokens : 0;
      expect(stats.output_tokens).toBe(countWords(expected) + thinking);
      expect(run.code).toBe(0);
    } finally {
      dir.cleanup();
    }
  }, TEST_TIMEOUT_MS);

  it('runs a tool loop: the model calls read_file on the file, the CLI sends the result back, the answer reports it', async () => {
    const dir = scratchDir('gemini');
    try {
      const file = join(dir.work, 'notes.txt');
      writeFileSync(file, `${SECRET_LINE}\n`);
      const { run, events } = await gemini(target.model, `What does notes.txt say? [emu tool=read_file arg.file_path=${file}]`, dir.work, dir.home);
      resultOf(events, run);
      const calls = events.filter((e) => e['type'] === 'tool_use');
      expect(calls.map((c) => [c['tool_name'], c['parameters']])).toEqual([['read_file', { file_path: file }]]);
      const results = events.filter((e) => e['type'] === 'tool_result');
      expect(results.map((r) => r['status'])).toEqual(['success']);
      const answer = answerOf(events);
      expect(answer.startsWith('Tool read_file returned: ')).toBe(true);
      expect(answer).toContain(SECRET_LINE);
      expect(run.code).toBe(0);
    } finally {
      dir.cleanup();
    }
  }, TEST_TIMEOUT_MS);
});
