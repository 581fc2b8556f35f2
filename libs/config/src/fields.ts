import { z } from 'zod';

/** Reusable env field parsers, so every service reads the same names the same way. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
export const url = () => z.string().url();
export const logLevel = () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** A 32-byte key given as 64 hex chars or base64; parsed to a Buffer. */
export const encryptionKey = () =>
  z.string().transform((value, ctx) => {
    const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be 32 bytes (64 hex chars or base64)' });
      return z.NEVER;
    }
    return key;
  });

/** Settings every service shares: infrastructure endpoints and names that tests isolate per run. */
export const commonFields = {
  LOG_LEVEL: logLevel(),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default(''),
  /** Comma-separated host:port seeds; connects to a Redis Cluster instead of REDIS_URL when set. */
  REDIS_CLUSTER_NODES: z.string().default(''),
  /** Budget of one Redis command (queued time included); past it the caller uses its fallback. */
  REDIS_COMMAND_TIMEOUT_MS: positiveInt(500),
  /** Redis ACL user and password (single server and Cluster); empty: those in REDIS_URL, if any. */
  REDIS_USERNAME: z.string().default(''),
  REDIS_PASSWORD: z.string().default(''),
  /** TLS to Redis (also on for a `rediss://` REDIS_URL or any REDIS_TLS_*_FILE); PEM files of the CA and client. */
  REDIS_TLS: bool(false),
  REDIS_TLS_CA_FILE: z.string().default(''),
  REDIS_TLS_CERT_FILE: z.string().default(''),
  REDIS_TLS_KEY_FILE: z.string().default(''),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  NATS_SUBJECT_PREFIX: z.string().default('gateway'),
  NATS_LOG_STREAM: z.string().default('GATEWAY_LOGS'),
  /** NATS credentials, at most one kind: user and password, a token, an NKEY seed, or a .creds file (JWT + seed). */
  NATS_USER: z.string().default(''),
  NATS_PASSWORD: z.string().default(''),
  NATS_TOKEN: z.string().default(''),
  NATS_NKEY_SEED: z.string().default(''),
  NATS_CREDS_FILE: z.string().default(''),
  /** TLS to NATS (also on for a `tls://` NATS_URL or any NATS_TLS_*_FILE); PEM files of the CA and client. */
  NATS_TLS: bool(false),
  NATS_TLS_CA_FILE: z.string().default(''),
  NATS_TLS_CERT_FILE: z.string().default(''),
  NATS_TLS_KEY_FILE: z.string().default(''),
  DATABASE_URL: z.string().min(1),
  /** Prometheus `GET /metrics` on a port of its own (never the client port); 0 = off. */
  METRICS_PORT: port(0),
  METRICS_HOST: z.string().default('0.0.0.0'),
};

/** Settings of a gRPC backend process (selector, auth, provider-call); `grpcPort` is its default port. */
export const grpcServiceFields = (grpcPort: number, shutdownGraceMs = 10_000) => ({
  GRPC_HOST: z.string().default('0.0.0.0'),
  GRPC_PORT: port(grpcPort),
  /** How long in-flight calls get to finish on SIGTERM before the server is forced down. */
  SHUTDOWN_GRACE_MS: positiveInt(shutdownGraceMs),
});

/** The egress policy's allowances (DESIGN §9; @aigw/egress reads them): internal addresses are refused unless listed. */
export const egressFields = {
  /** Comma-separated IPs, CIDRs and host names the gateway may reach though they are not public, e.g. `127.0.0.0/8,::1`. */
  EGRESS_ALLOW: z.string().default(''),
  /** Allow every private address (RFC 1918, CGNAT 100.64/10, IPv6 ULA); loopback and link-local still need EGRESS_ALLOW. */
  EGRESS_ALLOW_PRIVATE: bool(false),
};
