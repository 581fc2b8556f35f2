import type { ServerResponse } from 'node:http';
import { SseDataEvents } from '../protocol/sse-data-events.js';
import type { StreamSink } from '../proxying/backends.js';
import { drainingWrite, responseGone } from './draining-write.js';
import { streamHeaders } from './sse-sink.js';

/**
 * A StreamSink that re-frames the SSE events provider-call sends as the elements of one JSON array, written
 * as they come: Gemini's streamGenerateContent without `?alt=sse`. The separators are Google's own, for
 * clients that split the array text instead of parsing it.
 */
export function jsonArraySink(res: ServerResponse): StreamSink {
  const events = new SseDataEvents();
  let elements = 0;
  const frame = (payloads: string[]): string => {
    let text = '';
    for (const payload of payloads) {
      if (payload.trim() === '') continue;
      text += elements === 0 ? payload : `\n,\r\n${payload}`;
      elements += 1;
    }
    return text;
  };
  return {
    begin(droppedFields) {
      res.writeHead(200, streamHeaders('application/json; charset=utf-8', droppedFields));
      res.write('[');
    },
    write(chunk) {
      const text = frame(events.push(chunk));
      if (text === '') return Promise.resolve(!responseGone(res));
      return drainingWrite(res, text);
    },
    end() {
      if (responseGone(res)) return;
      res.end(`${frame(events.end())}${elements > 0 ? '\n' : ''}]`);
    },
  };
}
