import { describe, expect, it } from 'vitest';
import { logBatching, metricSum } from './log-batching.js';

describe('metricSum', () => {
  it('adds a metric over its label sets and ignores metrics whose name merely starts the same', () => {
    const text = [
      '# HELP aigw_request_log_dropped_total Request-log events dropped',
      'aigw_request_log_dropped_total{reason="outbox_full"} 2',
      'aigw_request_log_dropped_total{reason="memory_full"} 3',
      'aigw_request_log_dropped_total_extra 100',
      'aigw_request_log_published_events_total 1234',
    ].join('\n');
    expect(metricSum(text, 'aigw_request_log_dropped_total')).toBe(5);
    expect(metricSum(text, 'aigw_request_log_published_events_total')).toBe(1234);
  });
});

describe('logBatching', () => {
  it('gives events per JetStream message between two readings', () => {
    const start = { publishedEvents: 100, publishFailures: 0, outboxBytes: 0, pendingEvents: 0, streamMessages: 10 };
    const end = { publishedEvents: 5_100, publishFailures: 1, outboxBytes: 0, pendingEvents: 0, streamMessages: 510 };
    expect(logBatching(start, end)).toMatchObject({ eventsPublished: 5_000, batchesPublished: 500, eventsPerBatch: 10, publishFailures: 1 });
  });
});
