import type { ServerResponse } from 'node:http';
import { SSE_FRAMING } from '@aigw/formats';
import type { StreamSink } from '../proxying/backends.js';
import { drainingWrite, responseGone } from './draining-write.js';
import { droppedFieldsHeader } from './dropped-fields-header.js';

/** Headers every streamed answer shares, with x-aigw-dropped when fields were dropped. */
export function streamHeaders(contentType: string, droppedFields: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'cache-control': 'no-cache',
    // Tells nginx-style proxies in front not to buffer the stream.
    'x-accel-buffering': 'no',
  };
  const dropped = droppedFieldsHeader(droppedFields);
  if (dropped !== undefined) headers['x-aigw-dropped'] = dropped;
  return headers;
}

/** A StreamSink over an HTTP response: SSE headers on first data, writes that wait for 'drain'. */
export function sseSink(res: ServerResponse): StreamSink {
  return {
    begin(droppedFields) {
      res.writeHead(200, streamHeaders(SSE_FRAMING.contentType, droppedFields));
    },
    write: (chunk) => drainingWrite(res, chunk),
    writeEvent: (event) => drainingWrite(res, SSE_FRAMING.event(event, 1)),
    end() {
      if (!responseGone(res)) res.end();
    },
  };
}
