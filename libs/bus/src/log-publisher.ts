import { randomUUID } from 'node:crypto';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from 'nats';
import { RequestLogEvent } from '@aigw/proto';
import type { LogOutbox, OutboxSegment } from './log-outbox.js';
import type { BusNames } from './names.js';

export interface LogPublisherOptions {
  /** JetStream publishes (batches) awaiting their ack at once. */
  maxInFlight?: number;
  /** Events in one batch at most (default 500). */
  batchMaxEvents?: number;
  /** A batch is closed once its events reach this many bytes (default 512 KB; NATS' default max payload is 1 MB). */
  batchMaxBytes?: number;
  /**
   * Where batches are kept until JetStream acknowledges them. Without one (the bench, tests) they are held in
   * memory only, up to maxPendingBytes.
   */
  outbox?: LogOutbox;
  /** Without an outbox: bytes of unacknowledged batches held at most; beyond it new events are dropped (and counted). */
  maxPendingBytes?: number;
  /** A publish without an ack after this long is sent again (default 5 s). */
  ackTimeoutMs?: number;
  /** Prefix of message ids; unique per process incarnation (default a random UUID). */
  instanceId?: string;
  onError?: (error: unknown) => void;
  /** Events that could not be kept (outbox or memory full): counted by the caller, never silent. */
  onDropped?: (events: number, reason: DropReason) => void;
}

export type DropReason = 'outbox_full' | 'memory_full';

/** A batch on its way to JetStream. */
interface Batch {
  id: string;
  payload: Uint8Array;
  events: number;
  /** Its place in the outbox; undefined when it is held in memory only. */
  segment: OutboxSegment | undefined;
}

interface InFlight {
  batch: Batch;
  sentAt: number;
}

const MSG_ID_HEADER = 'Nats-Msg-Id';
/** Tells a RequestLogBatch message from a bare RequestLogEvent (what ingress published before batches). */
export const LOG_KIND_HEADER = 'Aigw-Kind';
export const LOG_KIND_BATCH = 'batch';
/** Tag of `RequestLogBatch.events` (field 1, length-delimited). */
const EVENTS_TAG = (1 << 3) | 2;

/**
 * Publishes request-log events to JetStream without making the client wait. The events of one event-loop turn
 * leave together as one RequestLogBatch message at the end of that turn (setImmediate: no added wait, a lone
 * event leaves at once), split beyond batchMaxEvents / batchMaxBytes. Each batch is written to the outbox
 * first, published with a bounded number of unacknowledged publishes, retried until JetStream acks it, and then
 * removed from the outbox. Its message id `<instance id>:<sequence>` stays the same across retries and replays
 * after a restart, so JetStream deduplicates a republished batch; the logging service's unique request id
 * deduplicates one redelivered later than the stream's dedup window.
 *
 * Publishes are asynchronous JetStream publishes: a core publish whose reply subject is a token under one
 * inbox of ours, where the stream's PubAck (or the server's no-responders status) arrives. That costs a
 * fifth of `js.publish()`, which builds a request, a timer and an error object for every message.
 */
export class LogPublisher {
  private turn: RequestLogEvent[] = [];
  private readonly queue: Batch[] = [];
  private head = 0;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly inbox: string;
  private readonly instanceId: string;
  private readonly subscription: Subscription;
  private readonly sweeper: NodeJS.Timeout;
  private readonly endOfTurn = (): void => this.flushTurn();
  private sequence = 0;
  private nextToken = 0;
  private retryDelay = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private pendingEvents = 0;
  private pendingBytes = 0;
  /** Events acknowledged by JetStream. */
  published = 0;
  /** Publishes that failed or timed out (and were retried). */
  failures = 0;
  /** Events dropped because they could not be kept. */
  dropped = 0;
  /** Batches kept in memory only because the outbox write failed. */
  unsaved = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    private readonly options: LogPublisherOptions = {},
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.inbox = createInbox();
    this.subscription = nc.subscribe(`${this.inbox}.*`, { callback: (_error, msg) => this.acknowledged(msg) });
    const timeout = options.ackTimeoutMs ?? 5_000;
    this.sweeper = setInterval(() => this.sweep(timeout), Math.min(1_000, timeout));
    this.sweeper.unref();
    for (const { record, segment } of options.outbox?.takeRecovered() ?? []) this.enqueue({ ...record, segment });
    this.pump();
  }

  /** Takes one event; it leaves at the end of the current event-loop turn. */
  publish(event: RequestLogEvent): void {
    if (this.turn.length === 0) setImmediate(this.endOfTurn);
    this.turn.push(event);
  }

  /** Events not yet acknowledged by JetStream (this turn's included). */
  get pending(): number {
    return this.pendingEvents + this.turn.length;
  }

  /** Resolves when every event is acknowledged, or false after `timeoutMs`. */
  async flush(timeoutMs = 10_000): Promise<boolean> {
    this.flushTurn();
    if (this.pending === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return done;
  }

  /** Stops listening for acks; what is not acknowledged stays in the outbox for the next process. */
  close(): void {
    this.flushTurn();
    clearInterval(this.sweeper);
    clearTimeout(this.retryTimer);
    this.subscription.unsubscribe();
    this.options.outbox?.close();
  }

  /** Encodes this turn's events into batches, keeps each in the outbox and sends what the in-flight bound allows. */
  private flushTurn(): void {
    if (this.turn.length === 0) return;
    const events = this.turn;
    this.turn = [];
    const maxEvents = this.options.batchMaxEvents ?? 500;
    // Half the server's largest message, should it be set below 1 MB: a batch it refuses would be retried forever.
    const maxBytes = Math.min(this.options.batchMaxBytes ?? 512 * 1024, (this.nc.info?.max_payload ?? 1024 * 1024) / 2);
    let writer = new BinaryWriter();
    let count = 0;
    let bytes = 0;
    for (const event of events) {
      const encoded = RequestLogEvent.encode(event).finish();
      writer.uint32(EVENTS_TAG).bytes(encoded);
      count += 1;
      bytes += encoded.length + 6;
      if (count >= maxEvents || bytes >= maxBytes) {
        this.keep(writer.finish(), count);
        writer = new BinaryWriter();
        count = 0;
        bytes = 0;
      }
    }
    if (count > 0) this.keep(writer.finish(), count);
    this.pump();
  }

  private keep(payload: Uint8Array, events: number): void {
    const id = `${this.instanceId}:${(this.sequence++).toString(36)}`;
    const { outbox } = this.options;
    let segment: OutboxSegment | undefined;
    if (outbox) {
      try {
        segment = outbox.append({ id, payload, events });
        if (segment === undefined) return this.drop(events, 'outbox_full');
      } catch (error) {
        // Disk trouble must not cost the events: they go out from memory, only a crash would lose them now.
        this.unsaved += 1;
        this.options.onError?.(error);
        if (this.pendingBytes + payload.length > outbox.maxBytes) return this.drop(events, 'memory_full');
      }
    } else if (this.pendingBytes + payload.length > (this.options.maxPendingBytes ?? 64 * 1024 * 1024)) {
      return this.drop(events, 'memory_full');
    }
    this.enqueue({ id, payload, events, segment });
  }

  private drop(events: number, reason: DropReason): void {
    this.dropped += events;
    this.options.onDropped?.(events, reason);
  }

  private enqueue(batch: Batch): void {
    this.queue.push(batch);
    this.pendingEvents += batch.events;
    this.pendingBytes += batch.payload.length;
  }

  private get queued(): number {
    return this.queue.length - this.head;
  }

  private pump(): void {
    const max = this.options.maxInFlight ?? 256;
    while (this.inFlight.size < max && this.queued > 0 && this.retryTimer === undefined) {
      const batch = this.take();
      const token = (this.nextToken++).toString(36);
      const messageHeaders = headers();
      messageHeaders.set(MSG_ID_HEADER, batch.id);
      messageHeaders.set(LOG_KIND_HEADER, LOG_KIND_BATCH);
      try {
        this.nc.publish(this.names.logSubject, batch.payload, { headers: messageHeaders, reply: `${this.inbox}.${token}` });
      } catch (error) {
        this.failed(batch, error);
        return;
      }
      this.inFlight.set(token, { batch, sentAt: Date.now() });
    }
  }

  private take(): Batch {
    const batch = this.queue[this.head]!;
    this.head += 1;
    // Drop the consumed front now and then, so the queue neither shifts on every take nor grows forever.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return batch;
  }

  private acknowledged(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const entry = this.inFlight.get(token);
    if (entry === undefined) return; // already given up on and sent again
    this.inFlight.delete(token);
    const problem = ackProblem(msg);
    if (problem !== undefined) {
      this.failed(entry.batch, new Error(`JetStream did not store the request log: ${problem}`));
      return;
    }
    const { batch } = entry;
    this.published += batch.events;
    this.pendingEvents -= batch.events;
    this.pendingBytes -= batch.payload.length;
    if (batch.segment) this.options.outbox?.acknowledged(batch.segment);
    this.retryDelay = 0;
    this.settle();
  }

  /** Publishes whose ack never came (lost across a reconnect, say) go out again. */
  private sweep(timeoutMs: number): void {
    const oldest = Date.now() - timeoutMs;
    for (const [token, entry] of this.inFlight) {
      if (entry.sentAt > oldest) continue;
      this.inFlight.delete(token);
      this.failed(entry.batch, new Error(`no JetStream ack within ${timeoutMs} ms`));
    }
  }

  private failed(batch: Batch, error: unknown): void {
    this.failures += 1;
    this.options.onError?.(error);
    if (this.head > 0) this.queue[--this.head] = batch;
    else this.queue.unshift(batch);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryDelay = Math.min(Math.max(this.retryDelay * 2, 50), 2_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, this.retryDelay);
    this.retryTimer.unref();
  }

  private settle(): void {
    if (this.pending === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    } else {
      this.pump();
    }
  }
}

/** Why an answer to a publish is not a PubAck (no stream listening, a stream error); undefined when it is one. */
function ackProblem(msg: Msg): string | undefined {
  if (msg.headers?.hasError) return `${msg.headers.code} ${msg.headers.description}`.trim();
  try {
    const ack = msg.json<{ error?: { description?: string }; seq?: number }>();
    if (ack.error !== undefined) return ack.error.description ?? 'error';
    return typeof ack.seq === 'number' ? undefined : 'unexpected answer';
  } catch {
    return 'unreadable answer';
  }
}
