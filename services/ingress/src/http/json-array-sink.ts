import type { ServerResponse } from 'node:http';
import { JSON_ARRAY_FRAMING } from '@aigw/formats';
import type { StreamSink } from '../proxying/backends.js';
import { drainingWrite, responseGone } from './draining-write.js';
import { streamHeaders } from './sse-sink.js';

const CLOSING_BRACKET = 0x5d;

/**
 * A StreamSink for Gemini's streamGenerateContent without `?alt=sse`: one JSON array, written as it comes.
 * provider-call frames the answer itself (InvokeRequest.stream_framing), so its bytes go through as they
 * are; this sink frames only what ingress adds: an error element after a broken stream, and the empty
 * array of an answer that brought no bytes.
 */
export function jsonArraySink(res: ServerResponse): StreamSink {
  let elements = 0;
  // Elements are JSON objects: a chunk that ends with `]` ends the array.
  let closed = false;
  return {
    begin(droppedFields) {
      res.writeHead(200, streamHeaders(JSON_ARRAY_FRAMING.contentType, droppedFields));
    },
    write(chunk) {
      if (chunk.length > 0) {
        elements = Math.max(elements, 1);
        closed = chunk[chunk.length - 1] === CLOSING_BRACKET;
      }
      return drainingWrite(res, chunk);
    },
    writeEvent(event) {
      if (closed || responseGone(res)) return Promise.resolve(!responseGone(res));
      return drainingWrite(res, JSON_ARRAY_FRAMING.event(event, elements++));
    },
    end() {
      if (responseGone(res)) return;
      res.end(closed ? undefined : JSON_ARRAY_FRAMING.close(elements));
    },
  };
}
