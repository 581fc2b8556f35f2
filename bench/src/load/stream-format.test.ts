import { describe, expect, it } from 'vitest';
import { isCompleteStream } from './stream-format.js';

describe('isCompleteStream', () => {
  it('knows each format by its last event', () => {
    expect(isCompleteStream('openai-chat', 'data: {"choices":[]}\n\ndata: [DONE]\n\n')).toBe(true);
    expect(isCompleteStream('anthropic', 'event: message_delta\ndata: {}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    expect(isCompleteStream('responses', 'event: response.output_text.done\ndata: {}\n\nevent: response.completed\ndata: {}\n\n')).toBe(true);
  });

  it('calls a stream cut before its last event incomplete, whatever other format it resembles', () => {
    expect(isCompleteStream('anthropic', 'event: content_block_delta\ndata: {}\n\ndata: [DONE]\n\n')).toBe(false);
    expect(isCompleteStream('responses', 'event: response.created\ndata: {}\n\n')).toBe(false);
    expect(isCompleteStream('openai-chat', 'data: {"choices":[]}\n\n')).toBe(false);
  });
});
