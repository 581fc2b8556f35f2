import type { SseEvent } from '../sse/sse-parser.js';

// The response object a Responses answer ends with: the whole body of a non-streamed answer, or the
// `response` of the event that ends a stream that finished (`response.completed`, or
// `response.incomplete` when a limit cut the output short). A stream that failed (`response.failed`,
// `error`) ends no response worth continuing.

const FINAL_EVENTS: ReadonlySet<string> = new Set(['response.completed', 'response.incomplete']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A parsed answer body when it is a response object (`object: "response"`), else undefined. */
export function responseObjectOf(value: unknown): Record<string, unknown> | undefined {
  return isObject(value) && value.object === 'response' && typeof value.id === 'string' ? value : undefined;
}

/** The final response object a stream event carries, or undefined for every other event. */
export function finalResponseOfEvent(event: SseEvent): Record<string, unknown> | undefined {
  // Cheap test first: the event name, or (for a stream without names) the type inside the data.
  const named = FINAL_EVENTS.has(event.event);
  if (!named && !(event.event === 'message' && /"type"\s*:\s*"response\.(completed|incomplete)"/.test(event.data))) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return undefined;
  }
  if (!isObject(data) || typeof data.type !== 'string' || !FINAL_EVENTS.has(data.type)) return undefined;
  return responseObjectOf(data.response);
}
