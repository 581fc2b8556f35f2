import { describe, expect, it } from 'vitest';
import {
  continuedBody,
  continuedInput,
  conversationOpening,
  inputItems,
  itemIdOf,
  itemsById,
  outputItemsOf,
  referencedItemIds,
  resolveItemReferences,
  type ResponsesItem,
} from './responses-continuation.js';
import { inputItemsPage, checkInputItemsQuery } from './responses-input-items.js';
import { finalResponseOfEvent, responseObjectOf } from './responses-final-response.js';

const user = (text: string): ResponsesItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const assistant: ResponsesItem = {
  id: 'msg_a',
  type: 'message',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text: 'Paris.', annotations: [] }],
};

describe('inputItems', () => {
  it('makes a string input one user message in part form', () => {
    expect(inputItems('hi')).toEqual([user('hi')]);
  });
  it('keeps items as they are', () => {
    const items = [{ role: 'user', content: 'hi' }, { type: 'function_call_output', call_id: 'c', output: '1' }];
    expect(inputItems(items)).toBe(items);
  });
  it('has nothing for a missing input', () => {
    expect(inputItems(undefined)).toEqual([]);
  });
});

describe('continuedInput', () => {
  it('is previous input, previous output, then the new input', () => {
    const previous = { input: [user('capital of France?')], output: [{ id: 'rs_1', type: 'reasoning', summary: [] }, assistant] };
    expect(continuedInput(previous, inputItems('and of Spain?'))).toEqual([
      user('capital of France?'),
      { id: 'rs_1', type: 'reasoning', summary: [] },
      assistant,
      user('and of Spain?'),
    ]);
  });
});

describe('continuedBody', () => {
  it('replaces input, drops previous_response_id and keeps every other field (instructions of this turn included)', () => {
    const body = { model: 'm', input: 'x', previous_response_id: 'resp_1', instructions: 'be brief', store: true, tools: [] };
    expect(continuedBody(body, [user('x')])).toEqual({ model: 'm', input: [user('x')], instructions: 'be brief', store: true, tools: [] });
  });
});

describe('item references', () => {
  const input: ResponsesItem[] = [user('a'), { type: 'item_reference', id: 'msg_a' }, { type: 'item_reference', id: 'fc_9' }, { type: 'item_reference', id: 'msg_a' }];

  it('lists each referenced id once, in order', () => {
    expect(referencedItemIds(input)).toEqual(['msg_a', 'fc_9']);
    expect(referencedItemIds('text')).toEqual([]);
  });
  it('replaces each reference by the item it names', () => {
    const fc = { id: 'fc_9', type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' };
    const found = new Map<string, ResponsesItem>([['msg_a', assistant], ['fc_9', fc]]);
    expect(resolveItemReferences(input, found)).toEqual({ items: [user('a'), assistant, fc, assistant] });
  });
  it('names the first reference it cannot resolve', () => {
    expect(resolveItemReferences(input, new Map([['msg_a', assistant]]))).toEqual({ missing: 'fc_9' });
  });
});

describe('item ids', () => {
  it('keeps an item’s own id and derives a stable one from the place of an item without', () => {
    expect(itemIdOf(assistant, 'resp_abc', 3)).toBe('msg_a');
    expect(itemIdOf(user('x'), 'resp_abc', 0)).toBe('msg_abc_0');
    expect(itemIdOf({ type: 'function_call_output', call_id: 'c', output: '' }, 'resp_abc', 2)).toBe('fco_abc_2');
    expect(itemIdOf({ type: 'custom_thing' }, 'resp_abc', 4)).toBe('item_abc_4');
  });
  it('indexes a stored turn’s input and output items by those ids', () => {
    const byId = itemsById('resp_abc', { input: [user('x')], output: [assistant] });
    expect([...byId.keys()]).toEqual(['msg_abc_0', 'msg_a']);
    expect(byId.get('msg_abc_0')).toEqual(user('x'));
  });
});

describe('outputItemsOf', () => {
  it('takes the output items of a response object', () => {
    expect(outputItemsOf({ object: 'response', output: [assistant, 'junk'] })).toEqual([assistant]);
    expect(outputItemsOf({ object: 'response' })).toEqual([]);
  });
});

describe('conversationOpening', () => {
  it('is the same for a string first turn and that turn carried into a continuation', () => {
    const first = conversationOpening({ instructions: 'sys', input: 'hi' });
    const carried = conversationOpening({ instructions: 'sys', input: [{ ...user('hi'), id: 'msg_abc_0', status: 'completed' }, assistant, user('more')] });
    const easy = conversationOpening({ instructions: 'sys', input: [{ role: 'user', content: 'hi' }] });
    expect(carried).toEqual(first);
    expect(easy).toEqual(first);
  });
  it('differs by instructions', () => {
    expect(conversationOpening({ instructions: 'a', input: 'hi' })).not.toEqual(conversationOpening({ instructions: 'b', input: 'hi' }));
  });
});

describe('input items page', () => {
  const items = [user('1'), user('2'), user('3')];
  it('lists newest first by default, 20 at a time, with the cursor fields', () => {
    const page = inputItemsPage('resp_r', items, checkInputItemsQuery({}));
    expect(page).toMatchObject({ object: 'list', first_id: 'msg_r_2', last_id: 'msg_r_0', has_more: false });
    expect((page.data as ResponsesItem[]).map((item) => item.id)).toEqual(['msg_r_2', 'msg_r_1', 'msg_r_0']);
  });
  it('pages with limit and after, in either order', () => {
    const first = inputItemsPage('resp_r', items, checkInputItemsQuery({ order: 'asc', limit: '2' }));
    expect(first).toMatchObject({ first_id: 'msg_r_0', last_id: 'msg_r_1', has_more: true });
    const next = inputItemsPage('resp_r', items, checkInputItemsQuery({ order: 'asc', limit: '2', after: 'msg_r_1' }));
    expect(next).toMatchObject({ first_id: 'msg_r_2', last_id: 'msg_r_2', has_more: false });
  });
  it('ends the list after an unknown cursor', () => {
    expect(inputItemsPage('resp_r', items, checkInputItemsQuery({ after: 'msg_nope' }))).toMatchObject({ data: [], first_id: null, has_more: false });
  });
  it('refuses a limit or order OpenAI refuses, naming the parameter', () => {
    expect(() => checkInputItemsQuery({ limit: '0' })).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST', details: { param: 'limit' } }));
    expect(() => checkInputItemsQuery({ limit: '101' })).toThrow(expect.objectContaining({ details: { param: 'limit' } }));
    expect(() => checkInputItemsQuery({ order: 'up' })).toThrow(expect.objectContaining({ details: { param: 'order' } }));
  });
});

describe('final response of an answer', () => {
  const response = { id: 'resp_1', object: 'response', status: 'completed', output: [assistant] };
  it('takes the response of response.completed and response.incomplete, named or not', () => {
    expect(finalResponseOfEvent({ event: 'response.completed', data: JSON.stringify({ type: 'response.completed', response }) })).toEqual(response);
    expect(finalResponseOfEvent({ event: 'message', data: JSON.stringify({ type: 'response.incomplete', response }) })).toEqual(response);
  });
  it('ignores every other event and broken data', () => {
    expect(finalResponseOfEvent({ event: 'response.created', data: JSON.stringify({ type: 'response.created', response }) })).toBeUndefined();
    expect(finalResponseOfEvent({ event: 'response.failed', data: JSON.stringify({ type: 'response.failed', response }) })).toBeUndefined();
    expect(finalResponseOfEvent({ event: 'response.completed', data: '{not json' })).toBeUndefined();
  });
  it('knows a response object from anything else', () => {
    expect(responseObjectOf(response)).toBe(response);
    expect(responseObjectOf({ error: {} })).toBeUndefined();
  });
});

describe('store errors', () => {
  it('are OpenAI’s: 400 previous_response_not_found, 404 for a response or an item', async () => {
    const { previousResponseNotFound, responseNotFound, itemNotFound } = await import('./responses-store-errors.js');
    expect(previousResponseNotFound('resp_x')).toEqual({
      status: 400,
      body: { error: { message: "Previous response with id 'resp_x' not found.", type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' } },
    });
    expect(responseNotFound('resp_x')).toEqual({
      status: 404,
      body: { error: { message: "Response with id 'resp_x' not found.", type: 'invalid_request_error', param: null, code: null } },
    });
    expect(itemNotFound('msg_x')).toMatchObject({ status: 404, body: { error: { message: "Item with id 'msg_x' not found.", param: 'input' } } });
  });
});
