import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync, writevSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/** One stored batch: its JetStream message id, its RequestLogBatch bytes and how many events it holds. */
export interface OutboxRecord {
  id: string;
  payload: Uint8Array;
  events: number;
}

/** A segment file; deleted once it is sealed and every record in it is acknowledged. */
export interface OutboxSegment {
  readonly name: string;
  /** Records written to it and not yet acknowledged. */
  pending: number;
  bytes: number;
  sealed: boolean;
}

export interface LogOutboxOptions {
  /** Bytes on disk at most; a batch that would pass it is refused (and counted by the caller). */
  maxBytes: number;
  /** A segment is sealed once it holds this many bytes (default: maxBytes / 16, at most 4 MB). */
  segmentBytes?: number;
}

/** length of payload (u32) · crc32 of id and payload (u32) · length of id (u16) · events (u16) */
const HEADER_BYTES = 12;
const SEGMENT = /^(\d{12})\.seg$/;
const OWNER_FILE = 'owner';

/**
 * The on-disk outbox of request-log batches that JetStream has not acknowledged yet: append-only segment
 * files in one directory, owned by one ingress process at a time.
 *
 * Writes are synchronous `write(2)` calls, one per batch (one per event-loop turn at most), and never fsync:
 * once write returns, the bytes are in the kernel's page cache, which survives the process being killed
 * (`kill -9`, OOM kill, a crash); only a crash of the machine itself can lose the last seconds. An fsync per
 * batch would cost a disk flush per turn on the hot path. A record torn by a machine crash fails its checksum
 * on replay and ends the reading of its segment; it is never fatal.
 */
export class LogOutbox {
  private readonly segmentBytes: number;
  private active!: OutboxSegment;
  private fd = -1;
  private nextNumber: number;
  private readonly segments = new Set<OutboxSegment>();
  private closed = false;
  /** Batches a previous process left behind, in the order they were written; take them with `takeRecovered()`. */
  private recovered: { record: OutboxRecord; segment: OutboxSegment }[] = [];
  /** Bytes of records that failed their checksum or were cut short (skipped). */
  readonly skippedBytes: number = 0;

  private constructor(
    readonly dir: string,
    private readonly options: LogOutboxOptions,
  ) {
    this.segmentBytes = options.segmentBytes ?? Math.min(4 * 1024 * 1024, Math.max(64 * 1024, Math.floor(options.maxBytes / 16)));
    mkdirSync(dir, { recursive: true });
    claimOwnership(dir);
    let last = 0;
    let skipped = 0;
    for (const file of readdirSync(dir).filter((name) => SEGMENT.test(name)).sort()) {
      last = Math.max(last, Number(SEGMENT.exec(file)![1]));
      const data = readFileSync(join(dir, file));
      const segment: OutboxSegment = { name: file, pending: 0, bytes: data.length, sealed: true };
      const { records, validBytes } = readRecords(data);
      skipped += data.length - validBytes;
      if (records.length === 0) {
        unlinkSync(join(dir, file));
        continue;
      }
      segment.pending = records.length;
      this.segments.add(segment);
      for (const record of records) this.recovered.push({ record, segment });
    }
    this.skippedBytes = skipped;
    this.nextNumber = last + 1;
    this.openSegment();
  }

  /** Opens (creating) the outbox in `dir`; throws when another live process on this host owns it. */
  static open(dir: string, options: LogOutboxOptions): LogOutbox {
    return new LogOutbox(dir, options);
  }

  /** Bytes on disk (records not yet deleted, acknowledged or not). */
  get bytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.bytes;
    return total;
  }

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** The batches left by a previous process (once; later calls return nothing). */
  takeRecovered(): { record: OutboxRecord; segment: OutboxSegment }[] {
    const recovered = this.recovered;
    this.recovered = [];
    return recovered;
  }

  /**
   * Appends one batch; returns its segment, or undefined when the outbox is full. Throws when the write fails
   * (disk full, permissions): the caller still has the batch in memory.
   */
  append(record: OutboxRecord): OutboxSegment | undefined {
    const id = Buffer.from(record.id);
    const size = HEADER_BYTES + id.length + record.payload.length;
    if (this.bytes + size > this.options.maxBytes) return undefined;
    if (this.active.bytes > 0 && this.active.bytes + size > this.segmentBytes) this.rotate();
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt32LE(record.payload.length, 0);
    header.writeUInt32LE(crc32(record.payload, crc32(id)), 4);
    header.writeUInt16LE(id.length, 8);
    header.writeUInt16LE(Math.min(record.events, 0xffff), 10);
    let written = 0;
    try {
      written = writevSync(this.fd, [header, id, record.payload]);
      if (written !== size) throw new Error(`short write to the log outbox (${written} of ${size} bytes)`);
    } catch (error) {
      // Cut off whatever part of the record reached the file, so that the next record starts where it should.
      if (written > 0) ftruncateSync(this.fd, this.active.bytes);
      throw error;
    }
    this.active.bytes += size;
    this.active.pending += 1;
    return this.active;
  }

  /** A record of `segment` was acknowledged by JetStream; the segment goes once sealed and fully acknowledged. */
  acknowledged(segment: OutboxSegment): void {
    segment.pending -= 1;
    if (segment.pending === 0 && segment.sealed) this.remove(segment);
  }

  /**
   * Closes the current segment; deletes it if everything in it was acknowledged. Unacknowledged records stay on
   * disk for the next process.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    this.active.sealed = true;
    if (this.active.pending === 0) this.remove(this.active);
    rmSync(join(this.dir, OWNER_FILE), { force: true });
  }

  private rotate(): void {
    closeSync(this.fd);
    this.active.sealed = true;
    if (this.active.pending === 0) this.remove(this.active);
    this.openSegment();
  }

  private openSegment(): void {
    const name = `${String(this.nextNumber++).padStart(12, '0')}.seg`;
    this.fd = openSync(join(this.dir, name), 'a');
    this.active = { name, pending: 0, bytes: 0, sealed: false };
    this.segments.add(this.active);
  }

  private remove(segment: OutboxSegment): void {
    this.segments.delete(segment);
    rmSync(join(this.dir, segment.name), { force: true });
  }
}

/** The records of one segment up to the first torn or corrupt one, and how many bytes they span. */
export function readRecords(data: Buffer): { records: OutboxRecord[]; validBytes: number } {
  const records: OutboxRecord[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= data.length) {
    const payloadLength = data.readUInt32LE(offset);
    const checksum = data.readUInt32LE(offset + 4);
    const idLength = data.readUInt16LE(offset + 8);
    const events = data.readUInt16LE(offset + 10);
    const end = offset + HEADER_BYTES + idLength + payloadLength;
    if (end > data.length) break;
    const id = data.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + idLength);
    const payload = data.subarray(offset + HEADER_BYTES + idLength, end);
    if (crc32(payload, crc32(id)) !== checksum) break;
    records.push({ id: id.toString(), payload, events });
    offset = end;
  }
  return { records, validBytes: offset };
}

/**
 * One process at a time per directory: two processes appending to and deleting from the same segments would
 * lose each other's records. The owner file names host and pid; a live other process on this host is refused.
 * The same pid (a container restarted in its pod, pid 1 again) or a dead one is taken over.
 */
function claimOwnership(dir: string): void {
  const path = join(dir, OWNER_FILE);
  const me = `${hostname()} ${process.pid}`;
  try {
    const [host, pidText] = readFileSync(path, 'utf8').trim().split(' ');
    const pid = Number(pidText);
    if (host === hostname() && pid !== process.pid && Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new Error(`log outbox ${dir} is in use by process ${pid}; give every ingress process its own LOG_OUTBOX_DIR`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  writeFileSync(path, me);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
