// How a streamed answer says it is whole, per API: a stream that ends without its format's last event was
// cut short (counted as incomplete, not as a stream).

export type StreamFormat = 'openai-chat' | 'anthropic' | 'responses';

const LAST_EVENT: Readonly<Record<StreamFormat, string>> = {
  'openai-chat': 'data: [DONE]',
  anthropic: 'event: message_stop',
  responses: 'event: response.completed',
};

/** The text whose presence marks a complete stream of the format. */
export function completeMarker(format: StreamFormat): string {
  return LAST_EVENT[format];
}

/** Whether the whole response text of a stream ended properly for its format. */
export function isCompleteStream(format: StreamFormat, text: string): boolean {
  return text.includes(LAST_EVENT[format]);
}
