import { AppError, toAppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import { endSpan, SpanKind, startSpan, withContext } from '@aigw/tracing';
import type { Account, Credential } from '@aigw/proto';
import type { ResolvedRoute } from '../routing/route-table.js';
import { invokeRequestFor, type AttemptResult } from './attempt-result.js';
import type { Backends, ProxyOutcome, ProxyRequest, RequestTrace, StreamSink } from './backends.js';
import { countAttempt } from './count-attempt.js';
import type { CredentialCache } from './credential-cache.js';
import { blamesAccount, isCredentialRejection, isRetryableStatus } from './retry-policy.js';
import { streamAttempt } from './stream-attempt.js';
import type { SuccessReportThrottle } from './success-report-throttle.js';
import { unaryAttempt } from './unary-attempt.js';

export interface AttemptLoopDeps {
  backends: Backends;
  credentials: CredentialCache;
  /** Resolves a route's fallback model. */
  resolveFallback: (model: string) => ResolvedRoute | undefined;
  maxAttempts: number;
  /** Cap on one selector call: a stalled selector answers the request with 503 after this, not at its deadline. */
  selectorTimeoutMs: number;
  /** Cap on one auth call: a stalled auth costs an attempt this long, then the next account is tried. */
  authTimeoutMs: number;
  /** Which successes reach selector (all of them when absent). */
  successReports?: SuccessReportThrottle;
  logger: Logger;
  now?: () => number;
}

/** Why a route gave up: the last upstream rejection (sent as is) or the last error. */
type Exhausted =
  | { kind: 'rejected'; status: number; body: Buffer; retryAfterMs: number }
  | { kind: 'error'; error: AppError };

/** ACCOUNTS_EXHAUSTED and UNAVAILABLE (a backend down or restarting) always tell the client when to come back. */
function withRetryHint(error: AppError): AppError {
  if ((error.code !== 'ACCOUNTS_EXHAUSTED' && error.code !== 'UNAVAILABLE') || error.retryAfterMs !== undefined) return error;
  return new AppError(error.code, error.message, { cause: error.cause, retryAfterMs: 1_000, details: { ...error.details } });
}

const SELECTOR_GAVE_UP: ReadonlySet<string> = new Set(['NO_ACCOUNT', 'ACCOUNTS_EXHAUSTED']);

/** A backend (selector, auth, provider-call) that did not answer: down, restarting, or stalled past its budget. */
const BACKEND_DOWN: ReadonlySet<string> = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED']);

/** Pause before the next attempt after provider-call or auth was unavailable (doubling): a restart is a blip. */
const UNAVAILABLE_PAUSE_MS = 100;

/** A stalled selector: nothing to choose an account with, so the client is told to come back. */
function selectorDown(cause: AppError): AppError {
  return new AppError('UNAVAILABLE', 'account selection is unavailable right now; try again shortly', { cause, retryAfterMs: 1_000 });
}

/**
 * The request path's retry logic: per attempt pick an account (excluding those tried), get its credential,
 * call provider-call; fail over on retryable failures before any byte reached the client; then try the
 * route's fallback model once.
 */
export class AttemptLoop {
  private readonly now: () => number;

  constructor(private readonly deps: AttemptLoopDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Proxies one request; a non-2xx upstream answer comes back as a response, other failures are thrown. */
  async run(request: ProxyRequest, trace: RequestTrace, sink?: StreamSink): Promise<ProxyOutcome> {
    let result = await this.tryRoute(request, request.route, trace, sink);
    const fallback = request.route.fallbackModel ? this.deps.resolveFallback(request.route.fallbackModel) : undefined;
    if (!('outcome' in result) && fallback && this.now() < request.deadline && !request.signal.aborted) {
      this.deps.logger.info({ requestId: request.requestId, fallbackModel: fallback.model }, 'trying fallback model');
      const primary = result;
      result = await this.tryRoute(request, fallback, trace, sink);
      // A fallback with no accounts at all says less than what the primary route's upstream said.
      if (result.kind === 'error' && SELECTOR_GAVE_UP.has(result.error.code) && primary.kind === 'rejected') result = primary;
    }
    if ('outcome' in result) return result.outcome;
    if (result.kind === 'error') throw withRetryHint(result.error);
    if (isCredentialRejection(result.status)) {
      throw new AppError('UPSTREAM_ERROR', 'the upstream provider rejected the credentials of every account tried');
    }
    if (result.status < 100) throw new AppError('UPSTREAM_UNREACHABLE', 'upstream provider unreachable');
    return { kind: 'response', status: result.status, body: result.body, retryAfterMs: result.retryAfterMs };
  }

  private async tryRoute(
    request: ProxyRequest,
    route: ResolvedRoute,
    trace: RequestTrace,
    sink: StreamSink | undefined,
  ): Promise<{ kind: 'answered'; outcome: ProxyOutcome } | Exhausted> {
    trace.providerId = route.providerId;
    trace.providerName = route.providerName;
    trace.upstreamModel = route.upstreamModel;
    trace.providerKind = route.providerKind ?? '';
    trace.price = route.price ?? null;
    const affinityKey = route.sessionAffinity ? (request.affinityKey?.() ?? '') : '';
    const exclude: number[] = [];
    let last: Exhausted | undefined;
    for (let attempt = 0; attempt < this.deps.maxAttempts; attempt += 1) {
      if (last && this.now() >= request.deadline) return last;
      this.assertTimeLeft(request);
      let account: Account;
      try {
        const selection = await this.deps.backends.selectAccount(route.providerId, route.upstreamModel, exclude, affinityKey, this.backendDeadline(request, this.deps.selectorTimeoutMs));
        account = selection.account;
        trace.affinity = selection.affinity;
      } catch (thrown) {
        const error = toAppError(thrown);
        if (SELECTOR_GAVE_UP.has(error.code)) return last ?? { kind: 'error', error };
        // Its own UNAVAILABLE says why (no open stream, its dependencies); a stall past its budget says nothing.
        if (BACKEND_DOWN.has(error.code) && !this.requestOver(request)) {
          return last ?? { kind: 'error', error: error.code === 'DEADLINE_EXCEEDED' ? selectorDown(error) : error };
        }
        throw error;
      }
      exclude.push(account.id);
      trace.accountId = account.id;
      const result = await this.tracedAttempt(attempt, request, route, account, trace, sink);
      if (result.kind === 'answered') return result;
      last = result.kind === 'failed' ? { kind: 'error', error: result.error } : result;
      if (result.kind === 'rejected' && !isRetryableStatus(result.status) && !isCredentialRejection(result.status)) {
        const { status, body, retryAfterMs } = result;
        return { kind: 'answered', outcome: { kind: 'response', status, body, retryAfterMs } };
      }
      if (result.kind === 'failed' && result.error.code === 'UNAVAILABLE' && attempt + 1 < this.deps.maxAttempts) {
        await this.pause(request, UNAVAILABLE_PAUSE_MS * 2 ** attempt);
      }
    }
    return last ?? { kind: 'error', error: new AppError('ACCOUNTS_EXHAUSTED', 'no upstream account could serve the request') };
  }

  /** attemptAccount in a span of its own, so that every attempt of a failover shows in the request's trace. */
  private async tracedAttempt(
    attempt: number,
    request: ProxyRequest,
    route: ResolvedRoute,
    account: Account,
    trace: RequestTrace,
    sink: StreamSink | undefined,
  ): Promise<AttemptResult> {
    const { span, ctx } = startSpan('attempt', SpanKind.INTERNAL, { 'aigw.attempt': attempt + 1, 'aigw.account_id': account.id, 'aigw.provider': route.providerName });
    try {
      const result = await withContext(ctx, () => this.attemptAccount(request, route, account, trace, sink));
      span.setAttribute('aigw.attempt.result', result.kind);
      if (result.kind === 'rejected') span.setAttribute('http.response.status_code', result.status);
      endSpan(span, result.kind === 'failed' ? result.error : result.kind === 'rejected' ? { code: `HTTP_${result.status}` } : undefined);
      return result;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  }

  /** One account: call it, and after an upstream 401 once more with a fresh credential. */
  private async attemptAccount(
    request: ProxyRequest,
    route: ResolvedRoute,
    account: Account,
    trace: RequestTrace,
    sink: StreamSink | undefined,
  ): Promise<AttemptResult> {
    const { backends, credentials } = this.deps;
    for (let refreshed = false; ; refreshed = true) {
      let credential: Credential;
      try {
        credential = await credentials.get(account.id, this.backendDeadline(request, this.deps.authTimeoutMs));
      } catch (thrown) {
        // One account's broken login (e.g. a revoked refresh token) must not fail a request others can serve, and
        // neither must auth stalling past its budget: the next account may have a usable cached credential.
        const error = toAppError(thrown);
        if (error.code === 'CANCELLED' || this.requestOver(request)) throw error;
        this.deps.logger.warn({ requestId: request.requestId, accountId: account.id, code: error.code }, 'no credential for account');
        return { kind: 'failed', error: new AppError('UNAVAILABLE', 'no credential for the account', { cause: error }) };
      }
      this.assertTimeLeft(request);
      trace.attempts += 1;
      const invokeRequest = invokeRequestFor(request, route.upstreamModel, account, credential);
      const result = request.count
        ? await countAttempt(backends, request, invokeRequest, trace)
        : request.stream && sink
          ? await streamAttempt(backends, request, invokeRequest, trace, sink)
          : await unaryAttempt(backends, request, invokeRequest, trace);
      if (result.kind === 'rejected' && result.status === 401 && !refreshed) {
        credentials.drop(account.id);
        await backends.invalidateCredential(account.id, this.backendDeadline(request, this.deps.authTimeoutMs)).catch((error: unknown) => {
          this.deps.logger.warn({ requestId: request.requestId, accountId: account.id, err: error }, 'invalidating credential failed');
        });
        continue;
      }
      this.report(account, route, result);
      return result;
    }
  }

  private report(account: Account, route: ResolvedRoute, result: AttemptResult): void {
    const { backends, successReports } = this.deps;
    const model = route.upstreamModel;
    if (result.kind === 'answered') {
      if (successReports?.shouldReport(account.id, model) ?? true) backends.reportOutcome(account.id, model, result.outcome.status, 0);
      return;
    }
    successReports?.failed(account.id, model);
    if (result.kind === 'rejected') backends.reportOutcome(account.id, model, result.status, result.retryAfterMs, result.hint);
    else if (blamesAccount(result.error)) {
      // Our own message (a timeout, a refused connection): it names no secret.
      backends.reportOutcome(account.id, model, 0, result.error.retryAfterMs ?? 0, { retryAfterSource: '', resetAtS: 0, message: result.error.message });
    }
  }

  private assertTimeLeft(request: ProxyRequest): void {
    if (request.signal.aborted) throw new AppError('CANCELLED', 'client closed the request');
    if (this.now() >= request.deadline) throw new AppError('DEADLINE_EXCEEDED', 'request timed out in the gateway');
  }

  /** The client left or the request's own deadline passed: nothing more to try. */
  private requestOver(request: ProxyRequest): boolean {
    return request.signal.aborted || this.now() >= request.deadline;
  }

  private backendDeadline(request: ProxyRequest, timeoutMs: number): number {
    return Math.min(request.deadline, this.now() + timeoutMs);
  }

  /** Waits `ms` (less when the deadline is nearer), or until the client leaves. */
  private pause(request: ProxyRequest, ms: number): Promise<void> {
    const wait = Math.min(ms, request.deadline - this.now());
    if (wait <= 0 || request.signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        request.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      request.signal.addEventListener('abort', done, { once: true });
    });
  }
}
