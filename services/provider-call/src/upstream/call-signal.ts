import { AppError } from '@aigw/errors';

/** Where an upstream call failed: before the response headers, or while reading the body. */
export type CallPhase = 'connect' | 'body';

/**
 * What may end an upstream call before it is done. `call`: the whole-call limit of a non-streaming call;
 * `idle`: a stream's longest silence; `deadline`: the caller's gRPC deadline; `cancelled`: the caller left.
 */
export type CallEnd = 'call' | 'idle' | 'deadline' | 'cancelled';

/** The time limits of one upstream call (ms). */
export interface CallLimits {
  /** Whole call, body included (non-streaming calls); absent: only the caller's deadline bounds it. */
  callMs?: number;
  /** Longest silence: until the response headers, and between two reads of the body (streams). */
  idleMs?: number;
  /** The caller's absolute deadline (ms since epoch); Infinity when it set none. */
  deadline: number;
}

/** Request-log error class of a call ended by one of the gateway's time limits. */
export const LIMIT_ERROR_CLASS = { call: 'call_timeout', idle: 'stream_idle_timeout' } as const;

const TUNNEL_REFUSED = /^Proxy response \((\d+)\) !== 200/;

function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

/** A duration as a person reads it in an error message: "600 s", "1.5 s", "250 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1_000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/**
 * The abort signal of one upstream call. It fires when the caller cancels or one of the call's limits
 * passes, and knows which, so that the error names the limit that ended the call.
 *
 * One timer per call whatever its length: it is set for the earliest limit, and the idle limit is checked
 * lazily. A chunk only records the time (`active()`); when the timer fires it re-arms itself for what remains
 * of the idle window, so a stream of thousands of chunks re-arms it about once per idle period.
 */
export class CallSignal {
  readonly #controller = new AbortController();
  readonly #onCancel = () => this.#abort('cancelled');
  #timer: NodeJS.Timeout | undefined;
  #end: CallEnd | undefined;
  /** performance.now() by which the call must be over (whole-call limit or caller's deadline). */
  readonly #endsAt: number;
  /** Which of the two `#endsAt` is. */
  readonly #endsBy: 'call' | 'deadline';
  /** performance.now() of the last sign of life from the upstream, while we are waiting for it. */
  #lastActive: number;
  /** False while the caller holds the body back (a slow reader downstream): that silence is not the upstream's. */
  #waiting = true;

  constructor(
    private readonly parent: AbortSignal,
    private readonly limits: CallLimits,
  ) {
    const now = performance.now();
    this.#lastActive = now;
    const untilDeadline = limits.deadline - Date.now();
    const callMs = limits.callMs ?? Infinity;
    this.#endsBy = callMs <= untilDeadline ? 'call' : 'deadline';
    this.#endsAt = now + Math.min(callMs, untilDeadline);
    if (parent.aborted) {
      this.#abort('cancelled');
      return;
    }
    parent.addEventListener('abort', this.#onCancel, { once: true });
    this.#arm(now);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get cancelled(): boolean {
    return this.#end === 'cancelled';
  }

  /** What ended the call, if something did. */
  get ended(): CallEnd | undefined {
    return this.#end;
  }

  /** The upstream sent something; the caller now passes it on (the silence that follows is not the upstream's). */
  active(): void {
    this.#waiting = false;
  }

  /** The caller waits for the upstream again: the idle clock runs from now. */
  waiting(): void {
    this.#lastActive = performance.now();
    this.#waiting = true;
  }

  /** Stops the timer and the cancellation listener; call once the body is consumed. */
  release(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.parent.removeEventListener('abort', this.#onCancel);
  }

  /** The AppError for an error of this call. */
  classify(error: unknown, phase: CallPhase): AppError {
    switch (this.#end) {
      case 'cancelled':
        return new AppError('CANCELLED', 'the caller cancelled the request', { cause: error });
      case 'deadline':
        return new AppError('DEADLINE_EXCEEDED', "the upstream call outlived the caller's deadline", { cause: error });
      case 'call':
        return new AppError('UPSTREAM_TIMEOUT', `the upstream did not finish its answer within the gateway's limit for a call (${formatDuration(this.limits.callMs ?? 0)})`, {
          cause: error,
          details: { limit: 'call' },
        });
      case 'idle':
        return new AppError('UPSTREAM_TIMEOUT', `the upstream sent nothing for ${formatDuration(this.limits.idleMs ?? 0)}, the gateway's limit for a silent stream`, {
          cause: error,
          details: { limit: 'idle' },
        });
      case undefined:
        break;
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT') return new AppError('UPSTREAM_TIMEOUT', 'upstream sent no response headers in time', { cause: error });
    if (code === 'UND_ERR_BODY_TIMEOUT') return new AppError('UPSTREAM_TIMEOUT', 'upstream stopped sending its answer', { cause: error });
    if (phase === 'body') return new AppError('UPSTREAM_ERROR', `upstream connection broke mid-answer (${describe(error)})`, { cause: error });
    return new AppError('UPSTREAM_UNREACHABLE', `upstream unreachable (${describe(error)})`, { cause: error });
  }

  /** Sets the one timer for whichever comes first: the end of the call, or the idle window's end. */
  #arm(now: number): void {
    const idleMs = this.limits.idleMs;
    const idleAt = idleMs === undefined ? Infinity : this.#lastActive + idleMs;
    const at = Math.min(this.#endsAt, idleAt);
    if (at === Infinity) return;
    this.#timer = setTimeout(() => this.#check(), Math.max(0, at - now));
  }

  #check(): void {
    this.#timer = undefined;
    if (this.#end !== undefined) return;
    const now = performance.now();
    if (now >= this.#endsAt) return this.#abort(this.#endsBy);
    const idleMs = this.limits.idleMs;
    if (idleMs !== undefined) {
      // Silence while the caller held the body back is not the upstream's: the window restarts.
      if (!this.#waiting) this.#lastActive = now;
      else if (now - this.#lastActive >= idleMs) return this.#abort('idle');
    }
    this.#arm(now);
  }

  #abort(end: CallEnd): void {
    if (this.#end !== undefined) return;
    this.#end = end;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#controller.abort(new Error(end === 'cancelled' ? 'caller cancelled' : `upstream call ended by its ${end} limit`));
  }
}

/**
 * Whether a connect-phase error is the proxy's fault: a proxy that answered a CONNECT with an
 * upstream's failure (say 502) is fine, only the upstream is down.
 */
export function isProxyFault(error: AppError): boolean {
  if (error.code !== 'UPSTREAM_UNREACHABLE') return false;
  const cause = (error.cause as { message?: unknown } | undefined)?.message;
  const refused = typeof cause === 'string' ? TUNNEL_REFUSED.exec(cause) : null;
  return refused === null || refused[1] === '407';
}
