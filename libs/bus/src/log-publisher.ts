import type { JetStreamClient, NatsConnection } from 'nats';
import { RequestLogEvent } from '@aigw/proto';
import type { BusNames } from './names.js';

export interface LogPublisherOptions {
  /** JetStream publishes awaiting their ack at once. */
  maxInFlight?: number;
  /** Events held in memory while JetStream is unreachable; beyond it the oldest wait is the caller's. */
  maxQueued?: number;
  onError?: (error: unknown) => void;
}

/**
 * Publishes request-log events to JetStream without making the client wait: events queue in memory,
 * go out with a bounded number of unacknowledged publishes, and are retried until JetStream acks them.
 * The request id is the message id, so a retried publish is deduplicated by the stream.
 */
export class LogPublisher {
  private readonly js: JetStreamClient;
  private readonly queue: RequestLogEvent[] = [];
  private inFlight = 0;
  private retryDelay = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  published = 0;
  failures = 0;
  dropped = 0;

  constructor(
    nc: NatsConnection,
    private readonly names: BusNames,
    private readonly options: LogPublisherOptions = {},
  ) {
    this.js = nc.jetstream();
  }

  /** Queues one event; returns at once. */
  publish(event: RequestLogEvent): void {
    if (this.queue.length >= (this.options.maxQueued ?? 100_000)) {
      this.dropped += 1;
      this.options.onError?.(new Error('log queue full, event dropped'));
      return;
    }
    this.queue.push(event);
    this.pump();
  }

  /** Events not yet acknowledged by JetStream. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves when every queued event is acknowledged, or after `timeoutMs`. */
  async flush(timeoutMs = 10_000): Promise<boolean> {
    if (this.pending === 0) return true;
    return Promise.race([
      new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
  }

  private pump(): void {
    const max = this.options.maxInFlight ?? 256;
    while (this.inFlight < max && this.queue.length > 0 && this.retryTimer === undefined) {
      const event = this.queue.shift()!;
      this.inFlight += 1;
      this.js.publish(this.names.logSubject, RequestLogEvent.encode(event).finish(), { msgID: event.requestId }).then(
        () => {
          this.inFlight -= 1;
          this.published += 1;
          this.retryDelay = 0;
          this.settle();
        },
        (error: unknown) => {
          this.inFlight -= 1;
          this.failures += 1;
          this.options.onError?.(error);
          this.queue.unshift(event);
          this.scheduleRetry();
        },
      );
    }
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
