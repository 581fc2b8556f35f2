import { AppError } from '@aigw/errors';

/** Where an upstream call failed: before the response headers, or while reading the body. */
export type CallPhase = 'connect' | 'body';

const TUNNEL_REFUSED = /^Proxy response \((\d+)\) !== 200/;

function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * The abort signal of one upstream call: fires when the caller cancels or the call's time budget
 * (UPSTREAM_TIMEOUT_MS bounded by the gRPC deadline) runs out, and knows which of the two happened,
 * so errors can be told apart afterwards.
 */
export class CallSignal {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #onCancel = () => this.#abort('cancelled');
  #reason: 'cancelled' | 'timeout' | undefined;

  constructor(
    private readonly parent: AbortSignal,
    private readonly budgetMs: number,
  ) {
    this.#timer = setTimeout(() => this.#abort('timeout'), budgetMs);
    if (parent.aborted) this.#abort('cancelled');
    else parent.addEventListener('abort', this.#onCancel, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get cancelled(): boolean {
    return this.#reason === 'cancelled';
  }

  /** Stops the timer and the cancellation listener; call once the body is consumed. */
  release(): void {
    clearTimeout(this.#timer);
    this.parent.removeEventListener('abort', this.#onCancel);
  }

  /** The AppError for an error of this call. */
  classify(error: unknown, phase: CallPhase): AppError {
    if (this.#reason === 'cancelled') return new AppError('CANCELLED', 'the caller cancelled the request', { cause: error });
    if (this.#reason === 'timeout') {
      return new AppError('UPSTREAM_TIMEOUT', `upstream call did not finish within ${this.budgetMs} ms`, { cause: error });
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT') return new AppError('UPSTREAM_TIMEOUT', 'upstream sent no response headers in time', { cause: error });
    if (code === 'UND_ERR_BODY_TIMEOUT') return new AppError('UPSTREAM_TIMEOUT', 'upstream stopped sending its answer', { cause: error });
    if (phase === 'body') return new AppError('UPSTREAM_ERROR', `upstream connection broke mid-answer (${describe(error)})`, { cause: error });
    return new AppError('UPSTREAM_UNREACHABLE', `upstream unreachable (${describe(error)})`, { cause: error });
  }

  #abort(reason: 'cancelled' | 'timeout'): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller.abort(new Error(reason === 'cancelled' ? 'caller cancelled' : 'upstream timeout'));
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
