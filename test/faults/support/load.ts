import { setTimeout as sleep } from 'node:timers/promises';
import type { Stack } from '@aigw/dev';

/** What one request of a load run got. */
export interface Outcome {
  /** When it was sent, ms since the run started. */
  sentAtMs: number;
  /** HTTP status, or 0 when no answer came (connection refused or reset, client timeout). */
  status: number;
  latencyMs: number;
  /** The gateway's own id (`x-request-id` of the answer); '' when none came. */
  requestId: string;
  /** The transport error, when there was no answer. */
  error?: string;
  /** `Retry-After` of the answer, when it had one. */
  retryAfter?: string;
  /** The start of the body of an answer that was not 2xx, for the failure message. */
  excerpt?: string;
}

export interface LoadOptions {
  /** Requests sent per second, whether or not earlier ones are answered (an open workload, as real clients). */
  ratePerSecond: number;
  durationMs: number;
  /** The request to send: path and body (default: a small Chat Completions request). */
  path?: string;
  body?: (i: number) => unknown;
  headers?: Record<string, string>;
  /** A request with no answer after this long counts as failed (status 0). Default 30 s. */
  clientTimeoutMs?: number;
  /** Called for each outcome as it arrives, e.g. to drive a scenario from the load. */
  onOutcome?: (outcome: Outcome) => void;
}

/**
 * FAULT_LOAD_SCALE multiplies every scenario's rate: the suite runs at modest rates so that it holds on a shared
 * 2-core CI machine; on a quiet machine, `FAULT_LOAD_SCALE=3` replays the issue's ~150 requests a second.
 */
const LOAD_SCALE = Number(process.env['FAULT_LOAD_SCALE'] ?? '1') || 1;

const defaultBody = (i: number) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: `fault run request ${i}` }],
});

/**
 * Sends `ratePerSecond` requests a second for `durationMs` against ingress with the demo key and collects every
 * outcome (all of them: the run resolves when the last request is answered or timed out). The schedule is
 * fixed in advance, so a stalled gateway meets the same arrivals as a healthy one.
 */
export async function runLoad(stack: Stack, options: LoadOptions): Promise<Outcome[]> {
  const url = `${stack.ingressUrl}${options.path ?? '/v1/chat/completions'}`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${stack.demoKey}`, ...options.headers };
  const body = options.body ?? defaultBody;
  const rate = options.ratePerSecond * LOAD_SCALE;
  const total = Math.round((rate * options.durationMs) / 1000);
  const interval = 1000 / rate;
  const started = performance.now();
  const pending: Promise<Outcome>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(one(url, headers, JSON.stringify(body(i)), started, options));
  }
  return Promise.all(pending);
}

async function one(url: string, headers: Record<string, string>, body: string, runStart: number, options: LoadOptions): Promise<Outcome> {
  const sent = performance.now();
  let outcome: Outcome;
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.clientTimeoutMs ?? 30_000) });
    const text = await response.text();
    outcome = {
      sentAtMs: Math.round(sent - runStart),
      status: response.status,
      latencyMs: Math.round(performance.now() - sent),
      requestId: response.headers.get('x-request-id') ?? '',
      ...(response.headers.get('retry-after') ? { retryAfter: response.headers.get('retry-after')! } : {}),
      ...(response.ok ? {} : { excerpt: text.slice(0, 200) }),
    };
  } catch (error) {
    outcome = {
      sentAtMs: Math.round(sent - runStart),
      status: 0,
      latencyMs: Math.round(performance.now() - sent),
      requestId: '',
      error: error instanceof Error ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}` : String(error),
    };
  }
  options.onOutcome?.(outcome);
  return outcome;
}

export interface LoadSummary {
  total: number;
  ok: number;
  /** Share of requests answered 2xx, 0..1. */
  okRatio: number;
  /** Count per status (0 = no answer). */
  statuses: Record<number, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Up to five failures, for the assertion message. */
  sampleFailures: Outcome[];
}

export function summarize(outcomes: readonly Outcome[]): LoadSummary {
  const latencies = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const statuses: Record<number, number> = {};
  for (const o of outcomes) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  const ok = outcomes.filter((o) => o.status >= 200 && o.status < 300).length;
  return {
    total: outcomes.length,
    ok,
    okRatio: outcomes.length === 0 ? 0 : ok / outcomes.length,
    statuses,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies.at(-1) ?? 0,
    sampleFailures: outcomes.filter((o) => o.status < 200 || o.status > 299).slice(0, 5),
  };
}

/**
 * A short run before the measured one: the first requests of a fresh stack pay for connection set-up and
 * compilation (seconds on a busy 2-core machine), which no scenario should count as the fault's cost.
 */
export async function warmUp(stack: Stack, options: Partial<LoadOptions> = {}): Promise<void> {
  const outcomes = await runLoad(stack, { ratePerSecond: 50, durationMs: 2_000, ...options });
  const failed = outcomes.filter((o) => o.status !== 200);
  if (failed.length > 0) throw new Error(`warm-up: ${failed.length} of ${outcomes.length} requests failed, e.g. ${JSON.stringify(failed[0])}`);
}
