import type { ServerResponse } from 'node:http';

/**
 * Holds an answer's last write (`res.end`) until `release()`, then lets it leave at the end of that event-loop
 * turn. The chat handler releases it right after publishing the request's log event, whose batch the publisher
 * writes to the on-disk outbox at the end of the same turn (setImmediate, earlier in the queue): so the client
 * never holds a complete answer whose log event a crash of ingress (kill -9, OOM) could still lose
 * (DESIGN §2, "nothing answered is lost"). Headers and streamed chunks go out as before; only the end waits,
 * for one turn of the event loop.
 */
export function holdEnd(res: ServerResponse): () => void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let held: unknown[] | undefined;
  res.end = ((...args: unknown[]) => {
    // The first end is the answer's; later ones (an error path making sure the response is closed) add nothing.
    held ??= args;
    return res;
  }) as ServerResponse['end'];
  return () => {
    res.end = end as ServerResponse['end'];
    const args = held;
    if (args !== undefined) setImmediate(() => end(...args));
  };
}
