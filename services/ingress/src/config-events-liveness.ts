import type { NatsConnection } from '@aigw/bus';
import { withinTime } from './within-time.js';

export interface LivenessOptions {
  /** How often the connection is probed (a PING answered by PONG). */
  intervalMs: number;
  /** A probe unanswered this long means events do not arrive. */
  timeoutMs: number;
  /** Called on every change (not on every probe). */
  onChange: (connected: boolean) => void;
}

/**
 * Tells whether configuration-change events can reach this replica. nats.js notices a connection that was cut
 * at once, but one that merely stopped answering only after its own pings time out (tens of seconds); a PING
 * round trip every `intervalMs` notices both within intervalMs + timeoutMs. Returns a stop function.
 */
export function watchConfigEvents(nc: NatsConnection, options: LivenessOptions): () => void {
  let connected = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const set = (now: boolean) => {
    if (now === connected || stopped) return;
    connected = now;
    options.onChange(now);
  };
  const probe = async () => {
    try {
      if (nc.isClosed()) throw new Error('connection closed');
      await withinTime(nc.flush(), options.timeoutMs, () => new Error('no PONG in time'));
      set(true);
    } catch {
      set(false);
    }
    if (!stopped) {
      timer = setTimeout(() => void probe(), options.intervalMs);
      timer.unref();
    }
  };
  timer = setTimeout(() => void probe(), options.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
