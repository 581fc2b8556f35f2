import type { ServerResponse } from 'node:http';
import type { StreamSink } from '../proxying/backends.js';

/** A StreamSink over an HTTP response: SSE headers on first data, writes that wait for 'drain'. */
export function sseSink(res: ServerResponse): StreamSink {
  const gone = () => res.destroyed || res.writableEnded;
  return {
    begin(droppedFields) {
      const headers: Record<string, string> = {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        // Tells nginx-style proxies in front not to buffer the stream.
        'x-accel-buffering': 'no',
      };
      if (droppedFields.length > 0) headers['x-aigw-dropped'] = droppedFields.join(',');
      res.writeHead(200, headers);
    },
    write(chunk) {
      if (gone()) return Promise.resolve(false);
      if (res.write(chunk)) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const settle = (ok: boolean) => () => {
          res.off('drain', onDrain);
          res.off('close', onClose);
          resolve(ok);
        };
        const onDrain = settle(true);
        const onClose = settle(false);
        res.once('drain', onDrain);
        res.once('close', onClose);
      });
    },
    end() {
      if (!gone()) res.end();
    },
  };
}
