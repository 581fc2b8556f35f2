import { busNames, connectBus } from '@aigw/bus';
import type { Stack } from '@aigw/dev';
import type { LogBatchingRecord } from '../report/bench-record.js';

// Shows that the gateway ran with request logs batched and the outbox on (their defaults), from what the
// system itself reports: ingress's /metrics (events JetStream acknowledged, publishes sent again, the
// outbox's bytes) and the log stream's sequence (one JetStream message per published batch). Read before the
// first scenario and again once the logging service has caught up, before S5 publishes its own events.

export interface LogPathReading {
  publishedEvents: number;
  publishFailures: number;
  outboxBytes: number;
  pendingEvents: number;
  /** The log stream's last sequence number: messages (batches) ever published to it. */
  streamMessages: number;
}

/** The sum of a metric's samples over every label set, in Prometheus text format. */
export function metricSum(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

export async function readLogPath(stack: Stack, natsUrl: string): Promise<LogPathReading> {
  const texts = await Promise.all(stack.metricsUrls.ingress.map(async (url) => (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text()));
  const sum = (name: string) => texts.reduce((total, text) => total + metricSum(text, name), 0);
  const names = busNames(stack.natsSubjectPrefix, stack.logStream);
  const nc = await connectBus(natsUrl, 'aigw-bench-log-path');
  try {
    const info = await (await nc.jetstreamManager()).streams.info(names.logStream);
    return {
      publishedEvents: sum('aigw_request_log_published_events_total'),
      publishFailures: sum('aigw_request_log_publish_failures_total'),
      outboxBytes: sum('aigw_request_log_outbox_bytes'),
      pendingEvents: sum('aigw_request_log_pending_events'),
      streamMessages: info.state.last_seq,
    };
  } finally {
    await nc.drain();
  }
}

/** What happened on the log path between two readings. */
export function logBatching(start: LogPathReading, end: LogPathReading): LogBatchingRecord {
  const events = end.publishedEvents - start.publishedEvents;
  const batches = end.streamMessages - start.streamMessages;
  return {
    eventsPublished: events,
    batchesPublished: batches,
    eventsPerBatch: batches > 0 ? Math.round((events / batches) * 100) / 100 : Number.NaN,
    publishFailures: end.publishFailures - start.publishFailures,
    outboxBytesAtEnd: end.outboxBytes,
    pendingEventsAtEnd: end.pendingEvents,
  };
}
