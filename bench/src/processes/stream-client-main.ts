import { Agent, request } from 'node:http';
import { percentile, sortedSamples } from '../measure/stats.js';
import { isCompleteStream, type StreamFormat } from '../load/stream-format.js';
import type { Percentiles, StreamResult } from '../report/bench-record.js';

// S4's load generator, in its own process: N connections, each opening one SSE stream after another for
// D seconds. Per stream it records the time to the first body byte (the first SSE event) and to the end of
// the response, with process.hrtime (nanoseconds). A stream counts as complete when it ends after its
// format's last event (load/stream-format.ts: `data: [DONE]`, `event: message_stop`, `event: response.completed`).
// Input: the JSON job in BENCH_STREAM_JOB. Output: one JSON line (StreamResult).

interface StreamJob {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds: number;
  timeoutSeconds: number;
  format: StreamFormat;
}

const job = JSON.parse(process.env['BENCH_STREAM_JOB'] ?? '{}') as StreamJob;
const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
const target = new URL(job.url);
const body = Buffer.from(job.body);
const headers = { ...job.headers, 'content-length': String(body.length), accept: 'text/event-stream' };

const ttfb: number[] = [];
const total: number[] = [];
const events: number[] = [];
const errors = { failed: 0, timeout: 0, non2xx: 0, incomplete: 0 };
const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function oneStream(): Promise<void> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    let first = Number.NaN;
    let text = '';
    let settled = false;
    const done = (outcome?: keyof typeof errors) => {
      if (settled) return;
      settled = true;
      if (outcome) errors[outcome] += 1;
      resolve();
    };
    const req = request(
      { agent, method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname, headers },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (Number.isNaN(first)) first = msSince(start);
          text += chunk;
        });
        res.once('end', () => {
          const elapsed = msSince(start);
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) return done('non2xx');
          if (!isCompleteStream(job.format, text)) return done('incomplete');
          ttfb.push(first);
          total.push(elapsed);
          events.push(text.split('\n\n').length - 1);
          done();
        });
        res.once('error', () => done('failed'));
      },
    );
    req.setTimeout(job.timeoutSeconds * 1000, () => {
      req.destroy();
      done('timeout');
    });
    req.once('error', () => done('failed'));
    req.end(body);
  });
}

function stats(samples: number[]): Percentiles {
  const sorted = sortedSamples(samples);
  const sum = samples.reduce((a, b) => a + b, 0);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    mean: samples.length > 0 ? sum / samples.length : Number.NaN,
    max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  // Not counting this process's start-up (tsx compiling it).
  const cpuAtStart = process.cpuUsage();
  const endAt = Date.now() + job.durationSeconds * 1000;
  const worker = async () => {
    while (Date.now() < endAt) await oneStream();
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  const seconds = msSince(startedAt) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const sortedEvents = sortedSamples(events);
  const result: StreamResult = {
    connections: job.connections,
    durationSeconds: seconds,
    streams: total.length,
    streamsPerSecond: total.length / seconds,
    ttfbMs: stats(ttfb),
    totalMs: stats(total),
    eventsPerStream: percentile(sortedEvents, 50),
    errors,
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  agent.destroy();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
