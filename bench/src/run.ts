import { fileURLToPath } from 'node:url';
import { startStack, type Stack } from '@aigw/dev';
import { parseBenchOptions, type BenchOptions } from './bench-options.js';
import { isolate } from './isolation.js';
import { chatBody, checkTarget, runLoad, type RunSummary, type Target } from './load-run.js';
import { benchRecord, formatTable, writeRecord } from './report.js';

// `npm run bench`: the whole gateway (five services as real processes, emulators, demo data) on a fresh
// database, loaded with autocannon; then the same load straight at the upstream emulator as the baseline.
// Gateway minus baseline is the overhead DESIGN §5 budgets (p50 ≤ 2 ms, p99 ≤ 10 ms).
// Scenario S0: non-streaming OpenAI Chat Completions, small body, one model, no failures.

const SCENARIO = 'S0 chat completions, non-streaming, small body';
const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
/** Any key works against the emulator's OpenAI format; only OAuth bearers are checked. */
const DIRECT_KEY = 'sk-bench-direct';
const PROMPT = 'Say hello to the benchmark';

function directTarget(upstreamUrl: string, options: BenchOptions): Target {
  return {
    name: 'direct',
    url: `${upstreamUrl}/v1/chat/completions`,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${DIRECT_KEY}`,
      ...(options.upstreamDelayMs > 0 ? { 'x-emu-delay-ms': String(options.upstreamDelayMs) } : {}),
    },
    body: chatBody(options.model, PROMPT),
  };
}

// The gateway forwards no client headers upstream, so the delay travels as a directive in the message.
function gatewayTarget(stack: Stack, options: BenchOptions): Target {
  const directive = options.upstreamDelayMs > 0 ? ` [emu delay_ms=${options.upstreamDelayMs}]` : '';
  return {
    name: 'gateway',
    url: `${stack.ingressUrl}/v1/chat/completions`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.demoKey}` },
    body: chatBody(options.model, `${PROMPT}${directive}`),
  };
}

/** Service lines at warn level and above (pino levels 40+), so problems during the run are seen. */
function echoProblems(line: { service: string; line: string }): void {
  if (/"level":(4|5|6)0\b/.test(line.line)) process.stderr.write(`[${line.service}] ${line.line}\n`);
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  const startedAt = new Date();
  const isolation = await isolate(process.env['REDIS_URL'] || 'redis://127.0.0.1:6379', process.env['NATS_URL'] || 'nats://127.0.0.1:4222');
  let stack: Stack | undefined;
  try {
    console.log(`starting the stack (database ${isolation.databaseUrl.replace(/\/\/[^@]*@/, '//')})…`);
    stack = await startStack({
      databaseUrl: isolation.databaseUrl,
      redisUrl: isolation.redisUrl,
      natsUrl: isolation.natsUrl,
      redisKeyPrefix: isolation.redisKeyPrefix,
      natsSubjectPrefix: isolation.natsSubjectPrefix,
      logStream: isolation.logStream,
      ports: 0,
      emulators: true,
      seed: true,
      captureLogs: false,
      onLog: echoProblems,
    });
    const targets = [directTarget(stack.emulators.upstream.url, options), gatewayTarget(stack, options)];
    for (const target of targets) await checkTarget(target);

    const { connections, durationSeconds, warmupSeconds, upstreamDelayMs } = options;
    console.log(`${SCENARIO}: ${connections} connections, ${durationSeconds} s per run, upstream delay ${upstreamDelayMs} ms`);
    if (warmupSeconds > 0) {
      console.log(`warming up (${warmupSeconds} s each)…`);
      for (const target of targets) await runLoad(target, connections, warmupSeconds);
    }
    const runs: RunSummary[] = [];
    for (const target of targets) {
      console.log(`measuring ${target.name}…`);
      runs.push(await runLoad(target, connections, durationSeconds));
    }

    const record = benchRecord(startedAt, SCENARIO, options, runs);
    console.log(`\n${formatTable(runs)}\n`);
    if (record.overheadMs) {
      console.log(`gateway overhead: p50 ${record.overheadMs.p50.toFixed(2)} ms, p99 ${record.overheadMs.p99.toFixed(2)} ms`);
    }
    console.log(`results: ${writeRecord(RESULTS_DIR, record)}`);
  } finally {
    await stack?.stop();
    await isolation.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
