import { appendFileSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogOutbox, type OutboxRecord } from './log-outbox.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aigw-outbox-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (id: string, bytes = 100, events = 3): OutboxRecord => ({ id, payload: new Uint8Array(bytes).fill(id.length), events });
const segments = (): string[] => readdirSync(dir).filter((name) => name.endsWith('.seg'));
const ids = (outbox: LogOutbox): string[] => outbox.takeRecovered().map(({ record }) => record.id);

describe('LogOutbox', () => {
  it('gives a new process the batches not acknowledged, with their ids, payloads and event counts', () => {
    const first = LogOutbox.open(dir, { maxBytes: 1024 * 1024 });
    const a = first.append(record('i1:0'))!;
    first.append(record('i1:1', 50, 7));
    first.append(record('i1:2'));
    first.acknowledged(a);
    first.close();

    const second = LogOutbox.open(dir, { maxBytes: 1024 * 1024 });
    const recovered = second.takeRecovered();
    // Acknowledged records of an unfinished segment come back too: JetStream (same message id) and the unique
    // request id deduplicate them.
    expect(recovered.map(({ record }) => [record.id, record.payload.length, record.events])).toEqual([
      ['i1:0', 100, 3],
      ['i1:1', 50, 7],
      ['i1:2', 100, 3],
    ]);
    expect(recovered[1]!.record.payload.every((byte) => byte === 4)).toBe(true);
    expect(second.takeRecovered()).toEqual([]);
    second.close();
  });

  it('deletes a segment once it is sealed and all of it is acknowledged, and leaves nothing after a clean close', () => {
    const outbox = LogOutbox.open(dir, { maxBytes: 1024 * 1024, segmentBytes: 300 });
    const written = Array.from({ length: 6 }, (_, i) => outbox.append(record(`i:${i}`))!);
    expect(segments().length).toBeGreaterThanOrEqual(3);
    for (const segment of written) outbox.acknowledged(segment);
    expect(segments().length).toBe(1); // the open one
    outbox.close();
    expect(segments()).toEqual([]);
    expect(LogOutbox.open(dir, { maxBytes: 1024 * 1024 }).takeRecovered()).toEqual([]);
  });

  it('replayed segments go once their records are acknowledged', () => {
    const first = LogOutbox.open(dir, { maxBytes: 1024 * 1024 });
    first.append(record('a:0'));
    first.append(record('a:1'));
    first.close();
    const second = LogOutbox.open(dir, { maxBytes: 1024 * 1024 });
    const recovered = second.takeRecovered();
    expect(segments().length).toBe(2); // the replayed one and the new one
    for (const { segment } of recovered) second.acknowledged(segment);
    expect(segments().length).toBe(1);
    second.close();
    expect(segments()).toEqual([]);
  });

  it('refuses a batch that would pass maxBytes, and takes batches again once space is freed', () => {
    const outbox = LogOutbox.open(dir, { maxBytes: 1000, segmentBytes: 250 });
    const kept = [];
    for (let i = 0; i < 20; i++) {
      const segment = outbox.append(record(`f:${i}`));
      if (segment) kept.push(segment);
    }
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(20);
    expect(outbox.bytes).toBeLessThanOrEqual(1000);
    expect(outbox.append(record('f:x'))).toBeUndefined();
    for (const segment of kept) outbox.acknowledged(segment);
    expect(outbox.append(record('f:y'))).toBeDefined();
    outbox.close();
  });

  it('skips a torn last record (a crash mid-write) and keeps the records before it', () => {
    const first = LogOutbox.open(dir, { maxBytes: 1024 * 1024 });
    first.append(record('t:0'));
    first.append(record('t:1'));
    first.append(record('t:2'));
    first.close();
    const [file] = segments();
    const path = join(dir, file!);
    truncateSync(path, (12 + 3 + 100) * 2 + 40); // the third record cut short
    const second = LogOutbox.open(dir, { maxBytes: 1024 * 1024 });
    expect(ids(second)).toEqual(['t:0', 't:1']);
    expect(second.skippedBytes).toBe(40);
    second.close();
  });

  it('stops reading a segment at a corrupt record and at garbage, never failing the open', () => {
    const first = LogOutbox.open(dir, { maxBytes: 1024 * 1024 });
    first.append(record('c:0'));
    first.append(record('c:1'));
    first.close();
    const [file] = segments();
    appendFileSync(join(dir, file!), Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    writeFileSync(join(dir, '999999999998.seg'), Buffer.alloc(40, 0x41));
    const second = LogOutbox.open(dir, { maxBytes: 1024 * 1024 });
    expect(ids(second)).toEqual(['c:0', 'c:1']);
    second.close();
    // A segment with nothing readable is deleted; the next one is numbered after every name seen.
    expect(segments().filter((name) => name === '999999999998.seg')).toEqual([]);
  });

  it('refuses a directory another live process owns', () => {
    writeFileSync(join(dir, 'owner'), `${hostname()} ${process.ppid}`);
    expect(() => LogOutbox.open(dir, { maxBytes: 1024 })).toThrow(/in use by process/);
    // A dead owner (a killed predecessor) is taken over.
    writeFileSync(join(dir, 'owner'), `${hostname()} 2147483646`);
    LogOutbox.open(dir, { maxBytes: 1024 }).close();
  });
});
