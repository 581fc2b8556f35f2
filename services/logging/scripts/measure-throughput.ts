// Measures how fast one logging service process drains a backlog from JetStream into MariaDB (not a test:
// numbers vary by machine). Publishes N events shaped like the gateway's (UUID request ids), starts the real
// service (src/main.ts) on them, follows progress through JetStream (which costs the database nothing), then
// checks exactly one row per event and exact rollups.
// Run: node --conditions=aigw-source --import tsx services/logging/scripts/measure-throughput.ts [events] [batchMax] [writers]
// MEASURE_NODE_ARGS adds node options for the service only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { busNames, connectBus, deleteLogStream, ensureLogConsumer, ensureLogStream, LogPublisher } from '@aigw/bus';
import { createPrisma, createTestDatabase } from '@aigw/db';
import { ClientFormat, RequestLogEvent } from '@aigw/proto';
import { cpuSeconds, cpuSecondsNamed, peakRssMb } from './process-cpu.js';

const total = Number(process.argv[2] ?? 100_000);
// Unset: the service's own defaults.
const batchMax = process.argv[3];
const writers = process.argv[4];
const serviceNodeArgs = (process.env['MEASURE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const ACCOUNTS = 2;

const suffix = randomUUID().slice(0, 8);
const names = busNames(`measure-logging-${suffix}`, `MEASURE_LOGGING_${suffix}`);
const db = await createTestDatabase('aigw_logging_measure');
const prisma = createPrisma(db.url, { connectionLimit: 1 });
const nc = await connectBus(natsUrl, 'logging-measure');
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Event i: two accounts behind two proxies, one in 50 a retried 429, like the bench's S5 events. */
function event(i: number, now: number): RequestLogEvent {
  const account = 1 + (i % ACCOUNTS);
  const failed = i % 50 === 49;
  const latencyMs = 150 + ((i * 7919) % 400);
  return RequestLogEvent.fromPartial({
    requestId: `m-${suffix}-${randomUUID()}`,
    apiKeyId: 1,
    providerId: 1,
    model: 'gpt-4o-mini',
    upstreamModel: 'gpt-4o-mini',
    accountId: account,
    proxyId: account,
    statusCode: failed ? 429 : 200,
    usage: failed ? undefined : { inputTokens: 20 + (i % 300), outputTokens: 5 + (i % 200), cachedInputTokens: 0 },
    latencyMs,
    upstreamLatencyMs: latencyMs - 2,
    errorClass: failed ? 'upstream_429' : '',
    stream: i % 5 === 0,
    attempts: failed ? 3 : 1,
    clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI,
    startedAtMs: now - latencyMs,
    finishedAtMs: now,
  });
}

async function left(): Promise<number> {
  const info = await (await nc.jetstreamManager()).consumers.info(names.logStream, names.logConsumer);
  return info.num_pending + info.num_ack_pending;
}

let child: ChildProcess | undefined;
try {
  const provider = await prisma.provider.create({ data: { name: 'openai', kind: 'openai', baseUrl: 'http://127.0.0.1:1' } });
  for (let a = 1; a <= ACCOUNTS; a += 1) {
    const proxy = await prisma.proxy.create({ data: { label: `p${a}`, proxyUrl: `http://p${a}.test:3128` } });
    await prisma.account.create({ data: { providerId: provider.id, label: `a${a}`, authType: 'api_key', authData: 'x', proxyId: proxy.id } });
  }
  await ensureLogStream(nc, names);
  await ensureLogConsumer(nc, names);
  const publisher = new LogPublisher(nc, names, { maxInFlight: 2_048, maxQueued: 100_000 });
  const now = Date.now();
  let latencyTotal = 0;
  for (let i = 0; i < total; i += 1) {
    const e = event(i, now);
    latencyTotal += e.latencyMs;
    publisher.publish(e);
    if (i % 5_000 === 4_999) while (publisher.pending > 20_000) await sleep(1);
  }
  if (!(await publisher.flush(300_000))) throw new Error('publish did not finish');
  console.log(`published ${total} events; load average ${load()}`);

  const args = ['--conditions=aigw-source', '--import', 'tsx', ...serviceNodeArgs, MAIN];
  const dbCpu = cpuSecondsNamed('mariadbd');
  const natsCpu = cpuSecondsNamed('nats-server');
  const spawned = performance.now();
  child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      NATS_URL: natsUrl,
      NATS_SUBJECT_PREFIX: `measure-logging-${suffix}`,
      NATS_LOG_STREAM: names.logStream,
      ...(batchMax ? { BATCH_MAX: batchMax } : {}),
      ...(writers ? { WRITE_CONCURRENCY: writers } : {}),
      RETENTION_DAYS: '0',
      LOG_LEVEL: 'warn',
      METRICS_PORT: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const samples: { t: number; done: number; cpu: number }[] = [];
  for (;;) {
    const done = total - (await left());
    samples.push({ t: (performance.now() - spawned) / 1000, done, cpu: cpuSeconds(child.pid ?? 0) ?? Number.NaN });
    if (done === total) break;
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    await sleep(100);
  }
  for (let i = 1; i < samples.length; i += 1) {
    const gap = samples[i]!.t - samples[i - 1]!.t;
    if (gap > 2) console.log(`stalled ${gap.toFixed(1)} s at ${samples[i - 1]!.done} events (t = ${samples[i - 1]!.t.toFixed(1)} s)`);
  }
  const at = (fraction: number): number => samples.find((s) => s.done >= fraction * total)?.t ?? Number.NaN;
  const first = samples.find((s) => s.done > 0)!;
  const last = samples.at(-1)!;
  const seconds = last.t - first.t;
  // From the first acknowledged batch on, so that start-up (module loading) is not counted.
  const serviceCpu = last.cpu - first.cpu;
  const steady = (0.8 * total) / (at(0.9) - at(0.1));
  const deciles = Array.from({ length: 10 }, (_, d) => Math.round((0.1 * total) / (at((d + 1) / 10) - (d === 0 ? first.t : at(d / 10)))));
  console.log(`events/s per tenth of the backlog: ${deciles.map((r) => `${(r / 1000).toFixed(1)}k`).join(' ')}`);
  const pct = (cpu: number): string => `${((cpu / seconds) * 100).toFixed(0)}%`;
  console.log(
    `batch ${batchMax ?? 'default'}, ${writers ?? 'default'} writers: ${total} events in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} events/s ` +
      `(steady 10-90%: ${Math.round(steady)} events/s; startup ${first.t.toFixed(2)} s)`,
  );
  console.log(
    `CPU over the drain (100% = one core): service ${pct(serviceCpu)} = ${((serviceCpu / (last.done - first.done)) * 1e6).toFixed(1)} µs/event, mariadbd ${pct(cpuSecondsNamed('mariadbd') - dbCpu)}, ` +
      `nats-server ${pct(cpuSecondsNamed('nats-server') - natsCpu)}; service peak RSS ${peakRssMb(child.pid!)?.toFixed(0)} MB; load average ${load()}`,
  );
  child.kill('SIGTERM');
  await once(child, 'exit');

  const [rows] = await prisma.$queryRawUnsafe<{ c: bigint; d: bigint }[]>('SELECT COUNT(*) c, COUNT(DISTINCT request_id) d FROM request_logs');
  const [stats] = await prisma.$queryRawUnsafe<{ r: unknown; l: unknown }[]>('SELECT SUM(requests) r, SUM(total_latency_ms) l FROM account_stats');
  const [proxies] = await prisma.$queryRawUnsafe<{ r: unknown }[]>('SELECT SUM(requests) r FROM proxy_stats');
  const [usage] = await prisma.$queryRawUnsafe<{ u: unknown }[]>('SELECT SUM(usage_count) u FROM accounts');
  const checks = {
    rows: Number(rows?.c) === total,
    distinct: Number(rows?.d) === total,
    accountStats: Number(stats?.r) === total && Number(stats?.l) === latencyTotal,
    proxyStats: Number(proxies?.r) === total,
    usageCount: Number(usage?.u) === total,
  };
  console.log(`exactly once: ${Object.values(checks).every(Boolean)} ${JSON.stringify(checks)}`);
} finally {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await deleteLogStream(nc, names);
  await nc.drain();
  await prisma.$disconnect();
  await db.drop();
}
