import { setTimeout as sleep } from 'node:timers/promises';
import { busNames, connectBus, LogPublisher, type NatsConnection } from '@aigw/bus';
import { createPrisma } from '@aigw/db';
import type { Stack } from '@aigw/dev';
import { loadAverage } from '../machine/machine-info.js';
import { processCpuSeconds, processMemory } from '../machine/proc-stats.js';
import { startMeasurement } from '../measure/process-monitor.js';
import type { LoggingRecord } from '../report/bench-record.js';
import { progress, type BenchContext } from './bench-context.js';
import { logEvent, runPrefix } from './log-events.js';

// S5: how fast one logging service instance moves request-log events from JetStream into MySQL. The
// stack's logging process is stopped, N events are published to its stream with the real codec and
// publisher (LogPublisher: RequestLogBatch messages, as ingress sends them), then the same process is started
// again and works off the backlog. Progress is read from JetStream (messages left = pending + awaiting ack;
// the service acks a batch only after the commit of all its events), which costs the database nothing.
// Afterwards the rows are counted: exactly one per event, none lost, none doubled.

const POLL_MS = 100;
const STALL_MS = 120_000;

interface ConsumerProgress {
  /** Events not yet acknowledged. */
  left: number;
}

async function consumerProgress(nc: NatsConnection, stream: string, consumer: string): Promise<ConsumerProgress> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.consumers.info(stream, consumer);
  return { left: info.num_pending + info.num_ack_pending };
}

/** Waits until the logging consumer has nothing left (the gateway's own events of S0–S4). */
async function drain(nc: NatsConnection, stream: string, consumer: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await consumerProgress(nc, stream, consumer)).left === 0) return true;
    await sleep(250);
  }
  return false;
}

async function countRows(databaseUrl: string, where: string, params: unknown[]): Promise<{ rows: number; distinct: number }> {
  const prisma = createPrisma(databaseUrl, { connectionLimit: 1 });
  try {
    const [row] = await prisma.$queryRawUnsafe<{ c: bigint; d: bigint }[]>(
      `SELECT COUNT(*) AS c, COUNT(DISTINCT request_id) AS d FROM request_logs ${where}`,
      ...params,
    );
    return { rows: Number(row?.c ?? 0), distinct: Number(row?.d ?? 0) };
  } finally {
    await prisma.$disconnect();
  }
}

/** Drains the gateway's own events and counts its request_logs rows (before S5 adds its own). */
export async function countGatewayLogs(stack: Stack, natsUrl: string): Promise<{ rows: number; drained: boolean }> {
  const names = busNames(stack.natsSubjectPrefix, stack.logStream);
  const nc = await connectBus(natsUrl, 'aigw-bench-s5');
  try {
    const drained = await drain(nc, names.logStream, names.logConsumer, 60_000);
    return { rows: (await countRows(stack.databaseUrl, '', [])).rows, drained };
  } finally {
    await nc.drain();
  }
}

/** Publishers over this many connections: one is bound by this process's CPU (≈ 16k/s), two reach ≈ 18k/s. */
const PUBLISH_CONNECTIONS = 2;

async function publish(natsUrl: string, stack: Stack, prefix: string, events: number): Promise<number> {
  const names = busNames(stack.natsSubjectPrefix, stack.logStream);
  const connections = await Promise.all(Array.from({ length: PUBLISH_CONNECTIONS }, () => connectBus(natsUrl, 'aigw-bench-s5-publisher')));
  try {
    let failures = 0;
    const publishers = connections.map(
      (nc) => new LogPublisher(nc, names, { maxInFlight: 1_024, onError: () => (failures += 1) }),
    );
    const pending = () => publishers.reduce((total, p) => total + p.pending, 0);
    const started = performance.now();
    const now = Date.now();
    for (let i = 0; i < events; i++) {
      (publishers[i % PUBLISH_CONNECTIONS] as LogPublisher).publish(logEvent(prefix, i, now));
      // Bounded memory: let the acks catch up every few thousand events.
      if (i % 5_000 === 4_999) while (pending() > 20_000) await sleep(1);
    }
    const flushed = await Promise.all(publishers.map((p) => p.flush(300_000)));
    if (flushed.includes(false)) throw new Error(`publishing stalled with ${pending()} events unacknowledged`);
    const dropped = publishers.reduce((total, p) => total + p.dropped, 0);
    if (dropped > 0) throw new Error(`the publishers dropped ${dropped} events`);
    if (failures > 0) progress(`S5: ${failures} publishes were retried`);
    return (performance.now() - started) / 1000;
  } finally {
    await Promise.all(connections.map((nc) => nc.drain()));
  }
}

/** Runs S5 on the stack's logging service. */
export async function runLoggingScenario(ctx: BenchContext, stack: Stack, natsUrl: string): Promise<LoggingRecord> {
  const events = ctx.options.logEvents;
  const names = busNames(stack.natsSubjectPrefix, stack.logStream);
  const prefix = runPrefix();
  const logging = stack.service('logging');
  const nc = await connectBus(natsUrl, 'aigw-bench-s5');
  try {
    progress(`S5: stopping the logging service, publishing ${events.toLocaleString('en')} events`);
    await logging.stop();
    const publishSeconds = await publish(natsUrl, stack, prefix, events);
    progress(`S5: published in ${publishSeconds.toFixed(1)} s; starting the logging service on the backlog`);

    // JetStream counts messages, and a message is a batch of events: progress in events is the share of this
    // run's messages (all that is pending while the service is stopped) done.
    const messages = Math.max(1, (await consumerProgress(nc, names.logStream, names.logConsumer)).left);
    const measurement = startMeasurement(ctx.watched.filter((p) => p.label !== 'logging'));
    const spawnedAt = performance.now();
    const samples: { t: number; done: number }[] = [];
    const restarting = logging.restart();
    let lastProgressAt = performance.now();
    let lastDone = -1;
    for (;;) {
      const { left } = await consumerProgress(nc, names.logStream, names.logConsumer);
      const t = (performance.now() - spawnedAt) / 1000;
      const done = Math.round(events * (1 - left / messages));
      samples.push({ t, done });
      if (done !== lastDone) {
        lastDone = done;
        lastProgressAt = performance.now();
      }
      if (left === 0) break;
      if (performance.now() - lastProgressAt > STALL_MS) throw new Error(`no progress for ${STALL_MS / 1000} s with ${left} events left`);
      await sleep(POLL_MS);
    }
    await restarting;
    const loggingPid = logging.pid ?? 0;
    for (const watched of ctx.watched) if (watched.label === 'logging') watched.pid = loggingPid;
    const usage = measurement.finish(0);
    // A new process: its CPU and peak RSS are its own counters since spawn.
    const memory = processMemory(loggingPid);
    usage.processes['logging'] = {
      cpuSeconds: Math.round((processCpuSeconds(loggingPid) ?? Number.NaN) * 100) / 100,
      peakRssMb: Math.round((memory?.peakRssMb ?? Number.NaN) * 100) / 100,
      rssMb: Math.round((memory?.rssMb ?? Number.NaN) * 100) / 100,
    };

    const at = (fraction: number) => samples.find((s) => s.done >= fraction * events)?.t ?? Number.NaN;
    const first = samples.find((s) => s.done > 0);
    const last = samples.at(-1) as { t: number; done: number };
    const seconds = last.t - (first?.t ?? 0);
    const verification = await countRows(stack.databaseUrl, 'WHERE request_id LIKE ?', [`${prefix}%`]);
    const record: LoggingRecord = {
      id: 'S5',
      events,
      publish: { seconds: round(publishSeconds), eventsPerSecond: Math.round(events / publishSeconds) },
      consume: {
        startupSeconds: round(first?.t ?? Number.NaN),
        seconds: round(seconds),
        eventsPerSecond: Math.round(events / seconds),
        steadyEventsPerSecond: Math.round((0.8 * events) / (at(0.9) - at(0.1))),
      },
      verification: {
        rows: verification.rows,
        distinctRequestIds: verification.distinct,
        lost: events - verification.distinct,
        duplicated: verification.rows - verification.distinct,
        exact: verification.rows === events && verification.distinct === events,
      },
      usage,
    };
    progress(
      `S5: ${record.consume.eventsPerSecond} events/s (steady ${record.consume.steadyEventsPerSecond}), ` +
        `rows ${verification.rows}, distinct ${verification.distinct}, exact ${record.verification.exact}`,
    );
    return record;
  } finally {
    // Whatever happened, leave a running logging service behind for the rest of the bench and its cleanup.
    if (!logging.running) await logging.restart().catch(() => undefined);
    await nc.drain();
  }
}

/** The record of an S5 that could not finish. */
export function failedLoggingRecord(events: number, error: string): LoggingRecord {
  const load = loadAverage();
  return {
    id: 'S5',
    events,
    publish: { seconds: Number.NaN, eventsPerSecond: Number.NaN },
    consume: { startupSeconds: Number.NaN, seconds: Number.NaN, eventsPerSecond: Number.NaN, steadyEventsPerSecond: Number.NaN },
    verification: { rows: Number.NaN, distinctRequestIds: Number.NaN, lost: Number.NaN, duplicated: Number.NaN, exact: false },
    usage: {
      processes: {},
      machineBusySeconds: Number.NaN,
      otherCpuSeconds: Number.NaN,
      interruptSeconds: Number.NaN,
      stealSeconds: Number.NaN,
      peakRssScope: 'run',
      loadAverageStart: load,
      loadAverageEnd: load,
    },
    error,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
