import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionJob } from '../src/retention/retention-job.js';
import { countLogs, createLoggingFixture, type LoggingFixture } from './logging-fixture.js';

const DAY_MS = 24 * 3600 * 1000;
let fixture: LoggingFixture;

beforeAll(async () => {
  fixture = await createLoggingFixture();
});
afterAll(async () => {
  await fixture.close();
});

describe('RetentionJob', () => {
  it('deletes request logs older than the retention period, in chunks, and keeps the rest', async () => {
    const now = Date.now();
    const ages = [...Array<number>(23).fill(45), ...Array<number>(5).fill(31), ...Array<number>(12).fill(29), ...Array<number>(4).fill(0)];
    await fixture.prisma.requestLog.createMany({
      data: ages.map((days, i) => ({
        requestId: `ret-${i}`,
        model: 'm',
        statusCode: 200,
        latencyMs: 1,
        clientFormat: 'openai',
        startedAt: new Date(now - days * DAY_MS),
        createdAt: new Date(now - days * DAY_MS),
      })),
    });
    const job = new RetentionJob(fixture.writerDb.prisma, fixture.logger, { days: 30, intervalMs: 3_600_000, chunkRows: 7 });
    expect(await job.runOnce(now)).toBe(28);
    expect(await countLogs(fixture.prisma)).toBe(16);
    expect(await job.runOnce(now)).toBe(0);
    await job.stop();
  });

  it('keeps everything when retention is off', async () => {
    const job = new RetentionJob(fixture.writerDb.prisma, fixture.logger, { days: 0, intervalMs: 1, chunkRows: 7 });
    job.start();
    await job.stop();
    expect(await countLogs(fixture.prisma)).toBe(16);
  });
});
