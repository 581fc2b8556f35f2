/** One fixed HTTP request that a load generator repeats on every connection. */
export interface LoadRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** What one load run measured. Latencies in milliseconds. */
export interface LoadResult {
  tool: 'wrk' | 'autocannon';
  connections: number;
  durationSeconds: number;
  /** Responses completed within the run. */
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; mean: number; max: number };
  errors: { connect: number; read: number; write: number; timeout: number; non2xx: number };
  /** CPU seconds of the load generator process itself. */
  loadGeneratorCpuSeconds: number;
}

export interface LoadRun {
  request: LoadRequest;
  connections: number;
  durationSeconds: number;
  timeoutSeconds: number;
}

/** Runs one load and resolves with its figures. */
export type LoadGenerator = (run: LoadRun) => Promise<LoadResult>;
