import { describe, expect, it } from 'vitest';
import { readItems, type ItemsReading } from './openai-responses-items.js';
import { encryptedReasoning } from './openai-responses-reasoning.js';

const none = () => undefined;
const read = (items: unknown[], kept: (id: string) => unknown = none) => readItems(items, 0, false, kept) as ItemsReading;

describe('Responses input items', () => {
  it('keeps only the outputs of the last round of calls, and counts images a tool returned', () => {
    const reading = read([
      { role: 'user', content: 'read both' },
      { type: 'function_call', call_id: 'a', name: 'Read', arguments: '{}' },
      { type: 'function_call_output', call_id: 'a', output: 'first file' },
      { type: 'reasoning', summary: [], encrypted_content: encryptedReasoning('t') },
      { type: 'function_call', call_id: 'b', name: 'Read', arguments: '{}' },
      { type: 'function_call', call_id: 'c', name: 'Shot', arguments: '{}' },
      { type: 'function_call_output', call_id: 'b', output: 'second file' },
      { type: 'function_call_output', call_id: 'c', output: [{ type: 'input_text', text: 'seen' }, { type: 'input_image', image_url: 'https://e.x/a.png' }] },
    ]);
    expect(reading.toolResults).toEqual([
      { name: 'Read', text: 'second file' },
      { name: 'Shot', text: 'seen' },
    ]);
    expect(reading.images).toBe(1);
    expect(reading.lastUserText).toBe('read both');
    expect(reading.inputTokens).toBe(2 + 2 + 2 + 1);
  });

  it('resolves an item_reference to an item it kept, and 404s one it did not', () => {
    const kept = (id: string) => (id === 'msg_1' ? { id, type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'kept answer' }] } : undefined);
    expect(read([{ role: 'user', content: 'q' }, { type: 'item_reference', id: 'msg_1' }], kept).inputTokens).toBe(3);
    expect(readItems([{ type: 'item_reference', id: 'msg_2' }], 0, true, kept)).toMatchObject({ status: 404, error: "Item with id 'msg_2' not found." });
  });

  it('does not check again what a continued response already held', () => {
    const earlier = [{ role: 'user', content: 'q' }, { id: 'rs_1', type: 'reasoning', summary: [] }];
    expect(readItems(earlier, 2, true, none)).not.toHaveProperty('error');
    expect(readItems(earlier, 0, true, none)).toMatchObject({ status: 404 });
  });
});
