import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

// Writes a response body the way a flaky upstream would: optionally paced (SSE chunk delays) and
// optionally cut after N body bytes, which drops the connection so the client sees a broken body
// (short Content-Length or unterminated chunked stream), never a clean end.

export interface BodyFaults {
  /** Drop the connection after this many body bytes. */
  dieAfterBytes?: number;
  /** Pause between SSE events. */
  chunkDelayMs?: number;
  /** One silence of `pauseMs` after this many SSE events (0: before the first), as a model thinking mid-answer. */
  pauseAfterEvents?: number;
  pauseMs?: number;
}

/** Writes `part` (may be empty) and then drops the connection once those bytes are flushed. */
function writeThenDie(res: ServerResponse, part: Buffer): void {
  if (part.length > 0) res.write(part);
  else res.flushHeaders();
  const socket = res.socket;
  if (socket === null) return;
  // end() flushes what is queued before the FIN; destroy() afterwards so nothing lingers half-open.
  socket.end(() => socket.destroy());
}

/** Sends a complete body with Content-Length, or its first dieAfterBytes bytes and a dropped connection. */
export function writeWholeBody(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body: string,
  faults: BodyFaults,
): void {
  const die = faults.dieAfterBytes;
  if (die === undefined) {
    headers['content-length'] = Buffer.byteLength(body);
    res.writeHead(status, headers);
    res.end(body);
    return;
  }
  const bytes = Buffer.from(body);
  headers['content-length'] = bytes.length;
  res.writeHead(status, headers);
  if (die >= bytes.length) res.end(bytes);
  else writeThenDie(res, bytes.subarray(0, die));
}

/** Streams SSE events (already framed), paced and possibly cut; resolves when done or the client left. */
export async function writeEventStream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  events: readonly string[],
  faults: BodyFaults,
): Promise<void> {
  res.writeHead(status, headers);
  const delay = faults.chunkDelayMs ?? 0;
  let budget = faults.dieAfterBytes ?? Infinity;
  const pauseMs = faults.pauseMs ?? 0;
  const pauseAt = pauseMs > 0 ? (faults.pauseAfterEvents ?? -1) : -1;
  if (delay === 0 && budget === Infinity && pauseAt < 0) {
    res.end(events.join(''));
    return;
  }
  // Headers go out before the first pause, as a real upstream's would.
  if (delay > 0 || pauseAt >= 0) res.flushHeaders();
  for (let i = 0; i < events.length; i++) {
    if (i === pauseAt) await sleep(pauseMs);
    if (res.destroyed) return;
    const event = events[i] as string;
    if (budget !== Infinity) {
      const bytes = Buffer.from(event);
      if (bytes.length >= budget && !(bytes.length === budget && i === events.length - 1)) {
        writeThenDie(res, bytes.subarray(0, budget));
        return;
      }
      budget -= bytes.length;
    }
    res.write(event);
    if (delay > 0 && i < events.length - 1) await sleep(delay);
  }
  if (!res.destroyed) res.end();
}
