import { commonFields, egressFields, grpcServiceFields, positiveInt, z } from '@aigw/config';

/** provider-call's environment. */
export const configSchema = z.object({
  ...commonFields,
  ...grpcServiceFields(50053, 15_000),
  ...egressFields,
  /**
   * Longest non-streaming upstream call, headers included (such an upstream sends its headers with the finished
   * answer, and a long generation takes minutes); the caller's gRPC deadline bounds it further.
   */
  UPSTREAM_TIMEOUT_MS: positiveInt(600_000),
  /**
   * Longest silence of a streaming upstream: until its response headers, and between two reads of its body (a
   * thinking model may pause for a while; providers send pings meanwhile). How long a whole stream may run is
   * the caller's deadline (ingress's STREAM_TIMEOUT_MS).
   */
  STREAM_IDLE_TIMEOUT_MS: positiveInt(300_000),
  /**
   * Connection pool bound per upstream host (per proxy when proxied). LLM calls are long, so this bounds a
   * proxy's throughput: 1024 connections carry about 5,000 calls/s of 200 ms, or 34/s of 30 s streams.
   */
  UPSTREAM_MAX_CONNECTIONS: positiveInt(1024),
  UPSTREAM_KEEPALIVE_MS: positiveInt(30_000),
  /** proxy_pool is reloaded this often, besides on config-change events. */
  PROXY_REFRESH_MS: positiveInt(30_000),
  /** Proxy failure/success outcomes are written to the database at most this often. */
  PROXY_HEALTH_FLUSH_MS: positiveInt(1_000),
  /** How often a proxy disabled after failures is probed (one replica a round, Redis lock); 0 never probes. */
  PROXY_PROBE_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
  /**
   * What a probe fetches through the proxy: any answer below 500 from it proves the proxy carries traffic.
   * Plain http is sent to the proxy in absolute form, https through a CONNECT tunnel; it obeys the egress policy.
   */
  PROXY_PROBE_URL: z.url({ protocol: /^https?$/ }).default('https://www.gstatic.com/generate_204'),
  /** Time limit of one probe. */
  PROXY_PROBE_TIMEOUT_MS: positiveInt(5_000),
});

export type Config = z.infer<typeof configSchema>;
