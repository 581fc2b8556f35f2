import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from 'nats';
import { RequestLogEvent } from '@aigw/proto';
import type { BusNames } from './names.js';

export interface LogPublisherOptions {
  /** JetStream publishes awaiting their ack at once. */
  maxInFlight?: number;
  /** Events held in memory while JetStream is unreachable; beyond it new events are dropped (and counted). */
  maxQueued?: number;
  /** A publish without an ack after this long is sent again (default 5 s). */
  ackTimeoutMs?: number;
  /**
   * Events published within this window go out together, in one socket write (default 5 ms): one write per
   * event would cost a system call per client request.
   */
  batchMs?: number;
  onError?: (error: unknown) => void;
}

interface InFlight {
  event: RequestLogEvent;
  sentAt: number;
}

const MSG_ID_HEADER = 'Nats-Msg-Id';

/**
 * Publishes request-log events to JetStream without making the client wait: events queue in memory, go out
 * with a bounded number of unacknowledged publishes, and are retried until JetStream acks them. The request
 * id is the message id, so a retried publish is deduplicated by the stream.
 *
 * Publishes are asynchronous JetStream publishes: a core publish whose reply subject is a token under one
 * inbox of ours, where the stream's PubAck (or the server's no-responders status) arrives. That costs a
 * fifth of `js.publish()`, which builds a request, a timer and an error object for every message.
 */
export class LogPublisher {
  private readonly queue: RequestLogEvent[] = [];
  private head = 0;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly inbox: string;
  private readonly subscription: Subscription;
  private readonly sweeper: NodeJS.Timeout;
  private nextToken = 0;
  private retryDelay = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  published = 0;
  failures = 0;
  dropped = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    private readonly options: LogPublisherOptions = {},
  ) {
    this.inbox = createInbox();
    this.subscription = nc.subscribe(`${this.inbox}.*`, { callback: (_error, msg) => this.acknowledged(msg) });
    const timeout = options.ackTimeoutMs ?? 5_000;
    this.sweeper = setInterval(() => this.sweep(timeout), Math.min(1_000, timeout));
    this.sweeper.unref();
  }

  /** Queues one event; returns at once. */
  publish(event: RequestLogEvent): void {
    if (this.queued >= (this.options.maxQueued ?? 100_000)) {
      this.dropped += 1;
      this.options.onError?.(new Error('log queue full, event dropped'));
      return;
    }
    this.queue.push(event);
    if (this.batchTimer !== undefined) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      this.pump();
    }, this.options.batchMs ?? 5);
    this.batchTimer.unref();
  }

  /** Events not yet acknowledged by JetStream. */
  get pending(): number {
    return this.queued + this.inFlight.size;
  }

  /** Resolves when every queued event is acknowledged, or after `timeoutMs`. */
  async flush(timeoutMs = 10_000): Promise<boolean> {
    if (this.pending === 0) return true;
    return Promise.race([
      new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
  }

  /** Stops listening for acks (events still pending stay unacknowledged). */
  close(): void {
    clearInterval(this.sweeper);
    clearTimeout(this.retryTimer);
    clearTimeout(this.batchTimer);
    this.subscription.unsubscribe();
  }

  private get queued(): number {
    return this.queue.length - this.head;
  }

  private pump(): void {
    const max = this.options.maxInFlight ?? 256;
    while (this.inFlight.size < max && this.queued > 0 && this.retryTimer === undefined) {
      const event = this.take();
      const token = (this.nextToken++).toString(36);
      const messageHeaders = headers();
      messageHeaders.set(MSG_ID_HEADER, event.requestId);
      try {
        this.nc.publish(this.names.logSubject, RequestLogEvent.encode(event).finish(), { headers: messageHeaders, reply: `${this.inbox}.${token}` });
      } catch (error) {
        this.failed(event, error);
        return;
      }
      this.inFlight.set(token, { event, sentAt: Date.now() });
    }
  }

  private take(): RequestLogEvent {
    const event = this.queue[this.head]!;
    this.head += 1;
    // Drop the consumed front now and then, so the queue neither shifts on every take nor grows forever.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return event;
  }

  private acknowledged(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const entry = this.inFlight.get(token);
    if (entry === undefined) return; // already given up on and sent again
    this.inFlight.delete(token);
    const problem = ackProblem(msg);
    if (problem !== undefined) {
      this.failed(entry.event, new Error(`JetStream did not store the request log: ${problem}`));
      return;
    }
    this.published += 1;
    this.retryDelay = 0;
    this.settle();
  }

  /** Publishes whose ack never came (lost across a reconnect, say) go out again. */
  private sweep(timeoutMs: number): void {
    const oldest = Date.now() - timeoutMs;
    for (const [token, entry] of this.inFlight) {
      if (entry.sentAt > oldest) continue;
      this.inFlight.delete(token);
      this.failed(entry.event, new Error(`no JetStream ack within ${timeoutMs} ms`));
    }
  }

  private failed(event: RequestLogEvent, error: unknown): void {
    this.failures += 1;
    this.options.onError?.(error);
    if (this.head > 0) this.queue[--this.head] = event;
    else this.queue.unshift(event);
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
