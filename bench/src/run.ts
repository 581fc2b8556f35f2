import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setUp, type BenchSetup } from './bench-setup.js';
import { isolate, type Isolation } from './isolation.js';
import { runAutocannon } from './load/autocannon-runner.js';
import { ensureWrk } from './load/ensure-wrk.js';
import type { LoadGenerator } from './load/load-request.js';
import { runWrk } from './load/wrk-runner.js';
import { ensureOpenFileLimit } from './machine/file-limit.js';
import { busyWarning, loadAverage, machineInfo } from './machine/machine-info.js';
import { measureWakeCost } from './machine/wake-cost.js';
import { REPO_ROOT } from './processes/child-process.js';
import { parseBenchOptions, type BenchOptions } from './options/bench-options.js';
import type { BenchRecord, LoadScenarioRecord, LoggingRecord, MemoryRecord, StreamScenarioRecord } from './report/bench-record.js';
import { issueTargets } from './report/issue-targets.js';
import { noiseWarning } from './report/noise-summary.js';
import { writeProfileSummary } from './report/write-profile-summary.js';
import { writeResults } from './report/write-results.js';
import { progress, type BenchContext } from './scenarios/bench-context.js';
import { runLoadScenario } from './scenarios/load-scenario.js';
import { countGatewayLogs, failedLoggingRecord, runLoggingScenario } from './scenarios/logging-scenario.js';
import { memorySnapshot } from './scenarios/memory-snapshot.js';
import { runAgentTurnScenario } from './scenarios/agent-turn-scenario.js';
import { logBatching, readLogPath, type LogPathReading } from './scenarios/log-batching.js';
import { LOAD_SCENARIOS, RESPONSES_SCENARIO } from './scenarios/scenario-defs.js';
import { runResponsesStreams, runStreamScenario } from './scenarios/stream-scenario.js';

// `npm run bench`: the benchmark of issues 4 and 17 in one run. See bench/README.md for what each scenario measures.

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

function chooseLoadGenerator(options: BenchOptions): { generator: LoadGenerator; tool: 'wrk' | 'autocannon'; note?: string } {
  if (options.loadGenerator === 'wrk' && ensureWrk()) return { generator: runWrk, tool: 'wrk', note: 'Debian wrk 4.1, 1 thread, Lua POST script, µs latencies' };
  const note =
    options.loadGenerator === 'autocannon'
      ? 'asked for with --load-generator=autocannon; latencies in whole ms'
      : 'FALLBACK: wrk unavailable; autocannon records whole milliseconds, so S0 figures are coarse';
  return { generator: runAutocannon, tool: 'autocannon', note };
}

/** The services run compiled, as in production: brings every workspace's dist/ up to date (turbo skips what is current). */
function buildServices(): void {
  progress('building the services (npm run build)');
  try {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build failed:\n${String(stdout ?? '').slice(-4000)}${String(stderr ?? '').slice(-2000)}`);
  }
}

function gitState(): BenchRecord['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

async function main(): Promise<void> {
  ensureOpenFileLimit();
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  buildServices();
  const started = new Date();
  // The services (and S5's restarted logging service) run the working tree as it is: note it at the start.
  const git = gitState();
  const loadStart = loadAverage();
  const { generator, tool, note } = chooseLoadGenerator(options);
  const warnings: string[] = [];
  const busy = busyWarning(loadStart);
  if (busy) warnings.push(`at start: ${busy}`);
  progress(
    `benchmark: scenarios ${options.scenarios.join(',')}, targets ${options.targets.join(',')}, ` +
      `${options.runs} × ${options.durationSeconds} s, ${tool}; load average ${loadStart.join(' ')}`,
  );

  let isolation: Isolation | undefined;
  let setup: BenchSetup | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await setup?.stop();
      await isolation?.cleanup();
    })());
  process.once('SIGINT', () => {
    progress('interrupted: stopping everything and dropping the benchmark database');
    void cleanup().finally(() => process.exit(130));
  });

  try {
    isolation = await isolate(process.env['REDIS_URL'] || 'redis://127.0.0.1:6379', process.env['NATS_URL'] || 'nats://127.0.0.1:4222');
    progress('measuring what a process wake-up costs on this machine');
    const wakeCost = await measureWakeCost().catch((error: unknown) => {
      warnings.push(`wake-up calibration failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    setup = await setUp(options, isolation);
    const ctx: BenchContext = { options, targets: setup.targets, generator, generatorTool: tool, watched: setup.watched, warnings, gatewayResponses: 0 };
    const selected = new Set(options.scenarios);

    const logPathAtStart = await readLogPath(setup.gateway.stack, isolation.natsUrl).catch((error: unknown) => {
      warnings.push(`could not read the request-log counters: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    const load: LoadScenarioRecord[] = [];
    for (const scenario of LOAD_SCENARIOS) {
      if (selected.has(scenario.id)) load.push(await runLoadScenario(ctx, scenario));
    }
    const stream: StreamScenarioRecord | undefined = selected.has('S4') ? await runStreamScenario(ctx) : undefined;
    const agentTurn: StreamScenarioRecord[] | undefined = selected.has('S7') ? await runAgentTurnScenario(ctx) : undefined;
    const responses: LoadScenarioRecord | undefined = selected.has('S8') ? await runLoadScenario(ctx, RESPONSES_SCENARIO) : undefined;
    // wrk gives S8's throughput but no time to first byte: the stream client measures that at the same load.
    const responsesStreams: StreamScenarioRecord | undefined = selected.has('S8') ? await runResponsesStreams(ctx) : undefined;
    // S6 once the loads are over, before S5 restarts the logging service: peaks of every run so far.
    const measured = [...load, ...(stream ? [stream] : []), ...(agentTurn ?? []), ...(responses ? [responses] : []), ...(responsesStreams ? [responsesStreams] : [])];
    const lastRun = [...selected].filter((id) => id !== 'S5' && id !== 'S6').at(-1);
    const memory: MemoryRecord | undefined = selected.has('S6') ? memorySnapshot(ctx, lastRun ?? 'start-up', measured) : undefined;

    progress('waiting for the gateway’s request logs to be written');
    const gatewayLogs = await countGatewayLogs(setup.gateway.stack, isolation.natsUrl);
    if (!gatewayLogs.drained) warnings.push('the logging service had not caught up with the gateway’s own events after 60 s');
    const logPathAtEnd: LogPathReading | undefined = logPathAtStart && (await readLogPath(setup.gateway.stack, isolation.natsUrl).catch(() => undefined));
    let logging: LoggingRecord | undefined;
    if (selected.has('S5')) {
      try {
        logging = await runLoggingScenario(ctx, setup.gateway.stack, isolation.natsUrl);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        warnings.push(`S5 failed: ${message}`);
        logging = failedLoggingRecord(options.logEvents, message);
      }
    }

    const finished = new Date();
    const record: BenchRecord = {
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      wallSeconds: Math.round((finished.getTime() - started.getTime()) / 1000),
      git,
      machine: machineInfo(),
      options,
      loadGenerator: note === undefined ? { tool } : { tool, note },
      targets: setup.notes,
      loadAverage: { start: loadStart, end: loadAverage() },
      ...(wakeCost ? { wakeCost } : {}),
      warnings,
      load,
      ...(stream ? { stream } : {}),
      ...(agentTurn ? { agentTurn } : {}),
      ...(responses ? { responses } : {}),
      ...(responsesStreams ? { responsesStreams } : {}),
      ...(logging ? { logging } : {}),
      ...(memory ? { memory } : {}),
      requestLogs: { gatewayResponses: ctx.gatewayResponses, rows: gatewayLogs.rows },
      ...(logPathAtStart && logPathAtEnd ? { logBatching: logBatching(logPathAtStart, logPathAtEnd) } : {}),
      serviceProblemLines: setup.gateway.problemCounts,
    };
    const gitAtEnd = gitState();
    if (gitAtEnd.commit !== git.commit) warnings.push(`HEAD moved during the run: ${git.commit.slice(0, 12)} → ${gitAtEnd.commit.slice(0, 12)}`);
    const noise = noiseWarning(record);
    if (noise) warnings.push(noise);
    const paths = writeResults(RESULTS_DIR, record);
    console.log('\nTargets of the benchmark issue:');
    for (const check of issueTargets(record)) {
      const verdict = check.met === undefined ? 'not measured' : check.met ? 'met' : 'MISSED';
      console.log(`  ${check.scenario} ${check.goal}: ${check.measured} → ${verdict}${check.margin === '' ? '' : ` (${check.margin})`}`);
    }
    console.log(`\nresults: ${paths.markdown}\n         ${paths.json}\n         ${RESULTS_DIR}latest.md (${Math.round(record.wallSeconds / 60)} min)`);
  } finally {
    progress('stopping everything');
    await cleanup();
  }
  if (options.profileDir !== undefined) {
    const summary = writeProfileSummary(options.profileDir);
    progress(summary === undefined ? `no CPU profiles found under ${options.profileDir}` : `CPU profiles summarised in ${summary}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
