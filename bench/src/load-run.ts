import autocannon from 'autocannon';

// One measured load run: a fixed request fired by N connections for T seconds, summarised into the numbers
// the report prints. A target is checked with a single request first, so that a misconfigured stack fails
// loudly instead of producing a table of errors.

export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface RunSummary {
  name: string;
  url: string;
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { average: number; p50: number; p90: number; p99: number; max: number };
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

/** A small OpenAI Chat Completions request body. */
export function chatBody(model: string, text: string): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content: text }], max_tokens: 32 });
}

/** Sends the target's request once; throws with the status and the start of the body unless it is 2xx. */
export async function checkTarget(target: Target): Promise<void> {
  const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${target.name}: ${target.url} answered ${response.status}: ${text.slice(0, 300)}`);
}

/** Runs the load and summarises it; `durationSeconds` 0 is not allowed (use a warm-up of ≥ 1 s or none). */
export async function runLoad(target: Target, connections: number, durationSeconds: number): Promise<RunSummary> {
  const result = await autocannon({
    url: target.url,
    title: target.name,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    duration: durationSeconds,
    timeout: 30,
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, Number(stat.count)]));
  return {
    name: target.name,
    url: target.url,
    connections,
    durationSeconds: result.duration,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      average: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}
