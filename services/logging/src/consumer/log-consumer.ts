import { ensureLogConsumer, ensureLogStream, LOG_KIND_BATCH, LOG_KIND_HEADER, type BusNames, type NatsConnection } from '@aigw/bus';
import type { Logger } from '@aigw/logger';
import { RequestLogBatch, RequestLogEvent } from '@aigw/proto';
import type { Consumer, JsMsg } from 'nats';
import { toLogRow, type EventClock, type LogRow } from '../ingest/log-row.js';
import type { WriteResult } from '../ingest/log-writer.js';
import { describeError, isRowRejected } from '../ingest/write-errors.js';
import type { LoggingMetrics } from '../observability/logging-metrics.js';
import { BatchQueue } from './batch-queue.js';
import { Backoff } from './backoff.js';

/** A delivered message (one RequestLogBatch, or one bare RequestLogEvent) and how many of its rows are not written yet. */
interface Delivery {
  msg: JsMsg;
  remaining: number;
  /** Negatively acknowledged already: JetStream redelivers it whole, so it is never acked now. */
  failed: boolean;
}

/** One event of a delivered message and the row it decoded to. */
interface Entry {
  delivery: Delivery;
  row: LogRow;
}

/** How long one pull request waits for events (the library's minimum); bounds how long stop() waits. */
const FETCH_EXPIRES_MS = 1_000;

export interface LogConsumerOptions {
  /** Most events written in one transaction. */
  batchMax: number;
  /** Batches written at once (each in its own transaction), so that encoding one overlaps the database work of another. */
  writeConcurrency?: number;
  /** Longest a partial batch waits for more events. */
  batchWaitMs: number;
  /** JetStream redelivers an event not acknowledged within this time. */
  ackWaitMs: number;
  /** Delay before the first retry after a failed write; doubles up to retryMaxMs. */
  retryMinMs: number;
  retryMaxMs: number;
}

export interface LogConsumerDeps {
  nc: NatsConnection;
  names: BusNames;
  writer: { write(rows: readonly LogRow[]): Promise<WriteResult> };
  logger: Logger;
  metrics?: LoggingMetrics;
  options: LogConsumerOptions;
}

/**
 * The durable pull consumer of request-log events. A message is a RequestLogBatch (header `Aigw-Kind: batch`,
 * what ingress publishes) or a bare RequestLogEvent (what older ingress versions published; still read so that
 * an upgrade loses nothing in the stream). Their events are batched into database transactions by count, and a
 * message is acknowledged only once every one of its events is committed; a failed write negatively
 * acknowledges its messages with a delay, so JetStream keeps every event until it is stored (a redelivered
 * message's events already stored are skipped by their unique request id). Messages that cannot be decoded are
 * terminated so they never hold the stream up.
 */
export class LogConsumer {
  private readonly queue: BatchQueue<Entry>;
  private readonly backoff: Backoff;
  private readonly fetchBackoff: Backoff;
  private consumer: Consumer | undefined;
  private stopping = false;
  private running: Promise<unknown> | undefined;

  constructor(private readonly deps: LogConsumerDeps) {
    const concurrency = Math.max(1, deps.options.writeConcurrency ?? 1);
    this.queue = new BatchQueue<Entry>(deps.options.batchMax, deps.options.batchMax * (concurrency + 1));
    this.backoff = new Backoff(deps.options.retryMinMs, deps.options.retryMaxMs);
    this.fetchBackoff = new Backoff(deps.options.retryMinMs, deps.options.retryMaxMs);
  }

  /** Creates the stream and the durable consumer if needed (idempotent) and starts consuming. */
  async start(): Promise<void> {
    this.consumer = await this.open();
    this.running = Promise.all([this.readLoop(), this.writeLoop()]);
  }

  /**
   * Stops fetching, then writes and acknowledges everything already delivered. Waits for the pull request in
   * flight to end (at most FETCH_EXPIRES_MS) rather than cancelling it, since events the server already sent to
   * a cancelled request would sit unacknowledged until the ack wait ran out.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.backoff.interrupt();
    this.fetchBackoff.interrupt();
    await this.running;
    // Acks are fire-and-forget publishes: flush them to the server, so a successor is not handed events that
    // this consumer has already stored.
    if (!this.deps.nc.isClosed()) await this.deps.nc.flush().catch(() => undefined);
  }

  private async open(): Promise<Consumer> {
    const { nc, names, options } = this.deps;
    await ensureLogStream(nc, names);
    await ensureLogConsumer(nc, names, options.ackWaitMs);
    return nc.jetstream().consumers.get(names.logStream, names.logConsumer);
  }

  private async readLoop(): Promise<void> {
    const { batchMax } = this.deps.options;
    // Events per message in the last fetch. A batch message holds up to 500 events: asking for BATCH_MAX of
    // those would pull up to a million rows into memory, so a pull asks for about BATCH_MAX events' worth. The
    // first pull assumes full batches (a backlog after an outage); small messages raise the next pull's count.
    let eventsPerMessage = 500;
    while (!this.stopping) {
      try {
        const consumer = (this.consumer ??= await this.open());
        const maxMessages = Math.max(1, Math.min(batchMax, Math.ceil(batchMax / eventsPerMessage)));
        const messages = await consumer.fetch({ max_messages: maxMessages, expires: FETCH_EXPIRES_MS });
        const clock = new MessageClock(Date.now());
        let fetched = 0;
        let events = 0;
        // A full queue stops this loop, and with it the next pull request: a slow database slows the intake.
        for await (const msg of messages) {
          clock.msg = msg;
          const rows = this.decode(msg, clock);
          if (rows === undefined) continue;
          fetched += 1;
          events += rows.length;
          const delivery: Delivery = { msg, remaining: rows.length, failed: false };
          if (rows.length === 0) settle([msg], (m) => m.ack(), this.deps.logger);
          for (const row of rows) {
            const full = this.queue.push({ delivery, row });
            if (full) await full;
          }
        }
        if (fetched > 0) eventsPerMessage = Math.max(1, events / fetched);
        this.fetchBackoff.reset();
      } catch (error) {
        const delayMs = this.fetchBackoff.next();
        this.deps.logger.error({ error: describeError(error), retryInMs: delayMs }, 'fetching log events failed; retrying');
        // Reopening also recreates the stream or consumer should someone have deleted them.
        this.consumer = undefined;
        await this.fetchBackoff.wait(delayMs);
      }
    }
    this.queue.close();
  }

  private async writeLoop(): Promise<void> {
    const limit = Math.max(1, this.deps.options.writeConcurrency ?? 1);
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      while (inFlight.size >= limit) await Promise.race(inFlight);
      const batch = await this.queue.take(this.deps.options.batchWaitMs);
      if (batch.length === 0) break;
      const writing: Promise<void> = this.handle(batch).finally(() => inFlight.delete(writing));
      inFlight.add(writing);
    }
    await Promise.all(inFlight);
  }

  private async handle(entries: Entry[]): Promise<void> {
    const { logger, metrics } = this.deps;
    const written = new Set<Entry>();
    const endTimer = metrics?.batchSeconds.startTimer();
    try {
      const result = await this.writeIsolating(entries, written);
      endTimer?.();
      this.backoff.reset();
      metrics?.eventsWritten.inc(result.inserted);
      metrics?.eventsDuplicate.inc(result.duplicates);
      logger.debug({ events: entries.length, ...result }, 'log batch written');
    } catch (error) {
      const delayMs = this.backoff.next();
      const unsettled = new Set<Delivery>();
      for (const entry of entries) if (!written.has(entry) && !entry.delivery.failed) unsettled.add(entry.delivery);
      for (const delivery of unsettled) delivery.failed = true;
      metrics?.batchFailures.inc();
      logger.error({ error: describeError(error), events: entries.length - written.size, retryInMs: delayMs }, 'log batch not written; will retry');
      settle([...unsettled].map((delivery) => delivery.msg), (msg) => msg.nak(delayMs), logger);
      // Redeliveries come back after delayMs; pausing too keeps new events from failing the same way meanwhile.
      if (!this.stopping) await this.backoff.wait(delayMs);
    }
  }

  /**
   * Writes `entries` and acks the messages whose events are all written. Should the database refuse a row's
   * values (which toLogRow is meant to prevent), the batch is halved until the offending event stands alone and
   * is skipped (counted), so one bad event cannot hold every event batched with it. Any other error is thrown,
   * leaving the unwritten entries' messages unsettled.
   */
  private async writeIsolating(entries: Entry[], written: Set<Entry>): Promise<WriteResult & { rejected: number }> {
    const { writer, logger, metrics } = this.deps;
    try {
      const result = await writer.write(entries.map((entry) => entry.row));
      this.done(entries, written);
      return { ...result, rejected: 0 };
    } catch (error) {
      if (!isRowRejected(error)) throw error;
      const [only] = entries;
      if (entries.length === 1 && only) {
        logger.warn({ streamSeq: only.delivery.msg.seq, error: describeError(error) }, 'log event refused by the database; skipped');
        metrics?.eventsInvalid.inc();
        this.done(entries, written);
        return { inserted: 0, duplicates: 0, rejected: 1 };
      }
      const half = Math.ceil(entries.length / 2);
      const first = await this.writeIsolating(entries.slice(0, half), written);
      const second = await this.writeIsolating(entries.slice(half), written);
      return {
        inserted: first.inserted + second.inserted,
        duplicates: first.duplicates + second.duplicates,
        rejected: first.rejected + second.rejected,
      };
    }
  }

  /** Entries are settled: a message whose last event this was is acknowledged. */
  private done(entries: Entry[], written: Set<Entry>): void {
    const complete: Delivery[] = [];
    for (const entry of entries) {
      written.add(entry);
      const { delivery } = entry;
      delivery.remaining -= 1;
      if (delivery.remaining === 0 && !delivery.failed) complete.push(delivery);
    }
    settle(complete.map((delivery) => delivery.msg), (msg) => msg.ack(), this.deps.logger);
  }

  /** The rows of a message; undefined (and the message terminated) when it cannot be decoded. */
  private decode(msg: JsMsg, clock: EventClock): LogRow[] | undefined {
    try {
      if (msg.headers?.get(LOG_KIND_HEADER) !== LOG_KIND_BATCH) return [toLogRow(RequestLogEvent.decode(msg.data), clock)];
      const rows: LogRow[] = [];
      for (const event of RequestLogBatch.decode(msg.data).events) {
        try {
          rows.push(toLogRow(event, clock));
        } catch (error) {
          // One bad event of a batch is skipped (counted); the others are kept.
          this.deps.logger.warn({ streamSeq: msg.seq, reason: describeError(error).message }, 'undecodable log event in a batch skipped');
          this.deps.metrics?.eventsInvalid.inc();
        }
      }
      return rows;
    } catch (error) {
      // The payload is never logged: it is client data.
      this.deps.logger.warn(
        { streamSeq: msg.seq, deliveries: msg.info.redeliveryCount, bytes: msg.data.length, reason: describeError(error).message },
        'undecodable log message terminated',
      );
      this.deps.metrics?.eventsInvalid.inc();
      settle([msg], (m) => m.term(), this.deps.logger);
      return undefined;
    }
  }
}
/** The clock of one fetch, pointed at each message in turn (no closure per message on the hot path). */
class MessageClock implements EventClock {
  msg: JsMsg | undefined;

  constructor(readonly nowMs: number) {}

  receivedAtMs(): number {
    // msg.info parses the reply subject, which costs more than decoding the event: read only when needed.
    return this.msg ? Math.floor(this.msg.info.timestampNanos / 1e6) : this.nowMs;
  }
}

/** Acks, naks or terms; a closed connection only means JetStream redelivers later, which is safe. */
function settle(messages: JsMsg[], action: (msg: JsMsg) => void, logger: Logger): void {
  try {
    for (const msg of messages) action(msg);
  } catch (error) {
    logger.warn({ error: describeError(error), events: messages.length }, 'could not acknowledge; events will be redelivered');
  }
}
