import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogPublisher } from '@aigw/bus';
import {
  consumerBacklog,
  countLogs,
  createLoggingFixture,
  eventually,
  expectedStats,
  makeEvent,
  NATS_URL,
  storedStats,
  type LoggingFixture,
} from './logging-fixture.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let fixture: LoggingFixture;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fixture = await createLoggingFixture();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await fixture.close();
});

/** Runs the real service process and resolves once it logged "ready". */
async function startService(): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, ['--conditions=aigw-source', '--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: fixture.db.url,
      NATS_URL,
      NATS_SUBJECT_PREFIX: fixture.subjectPrefix,
      NATS_LOG_STREAM: fixture.names.logStream,
      ACK_WAIT_MS: '2000',
      BATCH_MAX: '100',
      BATCH_WAIT_MS: '20',
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    reader.on('line', (line) => {
      lines.push(line);
      if (line.includes('"msg":"ready"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`logging service exited with ${code} before ready:\n${lines.join('\n')}`)));
  });
  await ready;
  return { child, lines };
}

describe('logging service process', () => {
  it('loses nothing and counts nothing twice when killed mid-run and restarted, and stops cleanly on SIGTERM', async () => {
    const events = Array.from({ length: 4_000 }, (_, i) => makeEvent(fixture, i));
    const first = await startService();
    const publisher = new LogPublisher(fixture.nc, fixture.names, { maxInFlight: 64 });
    for (const event of events) publisher.publish(event);
    await eventually(async () => (await countLogs(fixture.prisma)) > 0, 5);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    // Killed part-way: some events stored, the rest still in the stream (some delivered, never acknowledged).
    const storedAtKill = await countLogs(fixture.prisma);
    expect(storedAtKill).toBeLessThan(4_000);
    expect((await consumerBacklog(fixture)).ackPending).toBeGreaterThan(0);
    expect(await publisher.flush(30_000)).toBe(true);

    const second = await startService();
    await eventually(async () => {
      const backlog = await consumerBacklog(fixture);
      return (await countLogs(fixture.prisma)) === 4_000 && backlog.pending === 0 && backlog.ackPending === 0;
    }, 100);
    expect(await storedStats(fixture.prisma, 'proxy')).toEqual(expectedStats(events, 'proxyId'));
    expect(await storedStats(fixture.prisma, 'account')).toEqual(expectedStats(events, 'accountId'));
    const usage = await fixture.prisma.account.aggregate({ _sum: { usageCount: true } });
    expect(usage._sum.usageCount).toBe(4_000);

    second.child.kill('SIGTERM');
    const [code] = (await once(second.child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(second.lines.some((line) => line.includes('"msg":"shutting down"'))).toBe(true);
    // Logs carry no event contents.
    expect(second.lines.join('\n')).not.toContain('gpt-4o');
  });
});
