import { commonFields, egressFields, encryptionKey, port, positiveInt, z } from '@aigw/config';
import { parseLoginClients } from './admin/oauth/login-clients.js';
import { parseByteSize } from './http/byte-size.js';

/** What is wrong with OAUTH_LOGIN_CLIENTS, or undefined. */
function loginClientsProblem(text: string): string | undefined {
  try {
    parseLoginClients(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Bytes of a size in express.json's syntax, or undefined when it is not one. */
function bytesOf(text: string): number | undefined {
  try {
    return parseByteSize(text);
  } catch {
    return undefined;
  }
}

/** A size in express.json's syntax (10mb, 512kb, 2048). */
const byteSize = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((text) => (bytesOf(text) ?? 0) > 0, 'expected a byte size such as 10mb, 512kb or 2048');

/** Everything ingress reads from the environment; parsed once in main.ts. */
export const ingressConfigSchema = z.object({
  ...commonFields,
  ...egressFields,
  HTTP_PORT: port(8080),
  HTTP_HOST: z.string().default('0.0.0.0'),
  SELECTOR_ADDR: z.string().default('127.0.0.1:50051'),
  AUTH_ADDR: z.string().default('127.0.0.1:50052'),
  PROVIDER_CALL_ADDR: z.string().default('127.0.0.1:50053'),
  // Empty disables the admin API (every admin call answers 401).
  AIGW_ADMIN_TOKEN: z.string().default(''),
  AIGW_ENCRYPTION_KEY: encryptionKey(),
  /** The web console's built files, served under /ui. Empty: console/dist of the checkout (or of the image). */
  CONSOLE_DIST_DIR: z.string().default(''),
  /** Largest accepted client body (bytes-module syntax: 10mb, 512kb). */
  BODY_LIMIT: byteSize('10mb'),
  /**
   * Request-body bytes held at once over all requests (at least BODY_LIMIT): past it a new body is refused
   * with 503 and Retry-After, so that a burst of large bodies cannot exhaust the (capped) heap.
   */
  BODY_BUDGET: byteSize('32mb'),
  /**
   * Time limit of a non-streaming request, failover included: more than provider-call's limit on one call
   * (UPSTREAM_TIMEOUT_MS, 10 min), since a non-streaming answer may take many minutes.
   */
  REQUEST_TIMEOUT_MS: positiveInt(660_000),
  /** Time limit of a streaming request, arrival to last event; its silences are bounded by provider-call's STREAM_IDLE_TIMEOUT_MS. */
  STREAM_TIMEOUT_MS: positiveInt(3_600_000),
  MAX_ATTEMPTS: positiveInt(3),
  /**
   * Proxied requests served at once (a stream holds its slot until its last event). Past it requests wait in a
   * short queue, then are shed with 503 + Retry-After. Sized for a 2-core pod with the capped heap: a burst of
   * 1,000 connections peaks near 210 MB RSS (test/faults/burst.test.ts); raise it with the memory limit when
   * most traffic is long, mostly idle streams.
   */
  MAX_IN_FLIGHT: positiveInt(512),
  /** Requests waiting for a slot at once; past it a request is shed at once (0: no queue). */
  MAX_QUEUE: z.coerce.number().int().min(0).default(512),
  /** Longest wait for a slot before the request is shed: far below any client's timeout, so no one waits in vain. */
  MAX_QUEUE_MS: z.coerce.number().int().min(0).default(1_000),
  /** Cap on one backend call off the request path (model-list discovery). */
  BACKEND_TIMEOUT_MS: positiveInt(5_000),
  /** Cap on one SelectAccount call: a stalled selector answers 503 + Retry-After after this, not at the deadline. */
  SELECTOR_TIMEOUT_MS: positiveInt(1_000),
  /** Cap on one GetCredential call: a stalled auth costs an attempt this long, then the next account is tried. */
  AUTH_TIMEOUT_MS: positiveInt(1_000),
  /** Cap on one MySQL lookup of a request (client key): a cut or stalled database never holds a request longer. */
  DB_TIMEOUT_MS: positiveInt(2_000),
  /**
   * Cap on one Redis operation a request waits for: the client rate limit (past it the request is allowed and
   * counted) and the Responses store (a save that fails is logged, the answer still goes out).
   */
  REDIS_REQUEST_TIMEOUT_MS: positiveInt(500),
  /**
   * How long client keys, the routing table and credentials without an expiry are served from memory after
   * their source (MySQL, auth) last answered, while it fails; then a request needing them gets 503.
   */
  STALE_IF_ERROR_MS: positiveInt(600_000),
  /** Long-lived streams per multiplexed backend (selector, provider-call); round robin spreads them over replicas. */
  MUX_STREAMS: positiveInt(8),
  ROUTE_REFRESH_MS: positiveInt(30_000),
  /** Each provider's model list is fetched from its upstream again after this long (and on config changes). */
  MODEL_LIST_REFRESH_MS: positiveInt(300_000),
  /** How long a fetched model list is still served while fetching it again fails. */
  MODEL_LIST_STALE_MS: positiveInt(3_600_000),
  /** How long a client's model list waits for a provider never fetched yet (0: never waits). */
  MODEL_LIST_WAIT_MS: z.coerce.number().int().min(0).default(2_000),
  /** Budget of one provider's model-list fetch (all its pages, across the accounts tried). */
  MODEL_LIST_TIMEOUT_MS: positiveInt(15_000),
  API_KEY_CACHE_TTL_MS: positiveInt(60_000),
  API_KEY_NEGATIVE_TTL_MS: positiveInt(5_000),
  /**
   * Client-key cache lifetime while the config-change subscription (NATS) is down: revocations then arrive by
   * rechecking MySQL this often instead of by event (README "MySQL outage").
   */
  API_KEY_TTL_BUS_DOWN_MS: positiveInt(3_000),
  CREDENTIAL_CACHE_MAX_MS: positiveInt(60_000),
  /** Successes reach selector at most this often per account and model (after a failure: at once); 0 = always. */
  SUCCESS_REPORT_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
  /**
   * How long the Responses API keeps a stored response (`store` not false) for previous_response_id,
   * item_reference, GET and input_items, in seconds; 0 stores nothing. OpenAI keeps them 30 days (the most
   * allowed here); the default is a day because the store is Redis memory beside the routing state and
   * nearly every Responses request asks to be stored, while turns and tool loops continue within minutes.
   */
  RESPONSE_STORE_TTL_S: z.coerce.number().int().min(0).max(30 * 86_400).default(86_400),
  /** Largest stored response (response object + the conversation's input items, JSON); larger ones are not kept. */
  RESPONSE_STORE_MAX_BYTES: byteSize('10mb'),
  /**
   * On SIGTERM, how long ingress keeps serving (new and kept-alive connections, every answer with
   * `Connection: close`) while /readyz already answers 503, so load balancers take it out before the listener
   * closes. At least the balancer's health-check interval × unhealthy threshold, or endpoint propagation in
   * Kubernetes (a few seconds); 0 closes the listener at once (the dev stack, tests).
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(5_000),
  /** After the drain: how long requests and streams in flight get to finish before their sockets are cut. */
  SHUTDOWN_GRACE_MS: positiveInt(25_000),
  /**
   * Time from a request's first byte until its headers are complete; then 408 and the socket is closed. Headers
   * are a few KB, so a slow client needs far less; a long one lets idle sockets pile up (slowloris).
   */
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  /**
   * Time to receive a whole request, body included (answers are bound by REQUEST_TIMEOUT_MS and STREAM_TIMEOUT_MS
   * instead). BODY_LIMIT (10mb) over a 1 Mbit/s link takes 80 s, hence 120 s; a trickling body holds its share
   * of BODY_BUDGET no longer than this.
   */
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(120_000),
  /**
   * How long an idle kept-alive connection stays open. It must exceed the idle timeout of whatever sits in front
   * (AWS ALB 60 s by default; Google's LB wants 620 s for its 600 s), so the balancer always closes first and never
   * sends a request on a socket ingress is closing at that moment (a 502 at the balancer).
   */
  HTTP_KEEPALIVE_TIMEOUT_MS: positiveInt(65_000),
  /**
   * OAuth login clients per kind (JSON: {antigravity|anthropic|openai|geminiCli: {clientId, clientSecret?,
   * authorizeUrl, tokenUrl, scopes, redirectUri, tokenRequestFormat?}}); an entry replaces that kind's default,
   * the real tools' public clients (README "Onboarding OAuth accounts").
   */
  OAUTH_LOGIN_CLIENTS: z
    .string()
    .default('')
    .superRefine((text, ctx) => {
      const problem = loginClientsProblem(text);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** How long a started OAuth login may be completed, in seconds. */
  OAUTH_LOGIN_TTL_S: z.coerce.number().int().min(5).max(86_400).default(600),
  /** Between Cloud Code onboardUser checks while a new Google account gets its project (Gemini CLI waits 5 s). */
  OAUTH_ONBOARD_POLL_MS: z.coerce.number().int().min(0).default(5_000),
  /** Request-log batches published and awaiting JetStream's ack at once. */
  LOG_MAX_IN_FLIGHT: positiveInt(256),
  /**
   * Directory of the request-log outbox (batches JetStream has not acknowledged, replayed by the next start).
   * One ingress process per directory; a volume that outlives the process (an emptyDir in Kubernetes, a named
   * volume in compose). Empty: `<tmpdir>/aigw-log-outbox/ingress-<HTTP_PORT>` (one per port on a host).
   */
  LOG_OUTBOX_DIR: z.string().default(''),
  /**
   * Bytes the outbox may hold; beyond it new events are dropped and counted (aigw_request_log_dropped_total).
   * Unacknowledged batches are held in memory too, so this bounds ingress's memory as well. 64mb is about
   * 200,000 events: 20 minutes of a NATS outage at 150 requests a second.
   */
  LOG_OUTBOX_MAX_BYTES: byteSize('64mb'),
  /** On SIGTERM, after the HTTP drain: how long ingress waits for JetStream to ack the outbox (what is left stays on disk). */
  LOG_FLUSH_TIMEOUT_MS: positiveInt(5_000),
}).superRefine((config, ctx) => {
  // node refuses a server whose headers may take longer than the whole request.
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    ctx.addIssue({ code: 'custom', path: ['HTTP_HEADERS_TIMEOUT_MS'], message: `must be at most HTTP_REQUEST_TIMEOUT_MS (${config.HTTP_REQUEST_TIMEOUT_MS})` });
  }
  const limit = bytesOf(config.BODY_LIMIT);
  const budget = bytesOf(config.BODY_BUDGET);
  // Sizes that are not positive byte sizes are reported by their own fields already.
  if (limit && budget && budget < limit) {
    ctx.addIssue({ code: 'custom', path: ['BODY_BUDGET'], message: `must be at least BODY_LIMIT (${config.BODY_LIMIT}), or a body of the largest size could never pass` });
  }
});

export type IngressConfig = Readonly<z.infer<typeof ingressConfigSchema>>;
