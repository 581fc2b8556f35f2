import { describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../../adapters/provider-adapter.js';
import { chatGptAccountId, codexBody, codexHeaders, collectResponsesStream } from './codex-backend.js';

const target = (settings: Record<string, unknown>, headerName = 'authorization', oauth = true): UpstreamTarget => ({
  oauth,
  accountId: 1,
  baseUrl: 'http://u/backend-api/codex',
  model: 'm',
  settings,
  credential: { headerName, headerValue: 'Bearer t' },
});

const sse = (events: Array<Record<string, unknown>>) => events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join('');
const item = { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] };

describe('the Codex backend', () => {
  it('is used for an OAuth account with a ChatGPT account id only', () => {
    expect(chatGptAccountId(target({ chatgptAccountId: 'acc-1' }))).toBe('acc-1');
    expect(chatGptAccountId(target({}))).toBeUndefined();
    expect(chatGptAccountId(target({ chatgptAccountId: '' }))).toBeUndefined();
    expect(chatGptAccountId(target({ chatgptAccountId: 'acc-1' }, 'x-api-key'))).toBeUndefined();
    expect(chatGptAccountId(target({ chatgptAccountId: 'acc-1' }, 'authorization', false))).toBeUndefined();
  });

  it('takes bodies streamed, unstored, with instructions (the client’s kept), without the fields it refuses', () => {
    expect(codexBody({ model: 'm', input: 'hi', store: true, stream: false })).toEqual({ body: { model: 'm', input: 'hi', store: false, stream: true, instructions: '' }, dropped: [] });
    expect(codexBody({ instructions: 'Be brief.' }).body.instructions).toBe('Be brief.');
    expect(codexBody({ input: 'hi', safety_identifier: 'u1', stream_options: { include_usage: true } })).toEqual({
      body: { input: 'hi', store: false, stream: true, instructions: '' },
      dropped: ['safety_identifier', 'stream_options'],
    });
  });

  it('names the conversation in session_id from the client’s prompt_cache_key', () => {
    expect(codexHeaders({}, 'acc-1', { prompt_cache_key: 'conv-9' })).toMatchObject({ session_id: 'conv-9', 'chatgpt-account-id': 'acc-1' });
    expect(codexHeaders({}, 'acc-1', {}).session_id).toBeUndefined();
  });

  it('collects a stream into the final response, filling output from the finished items when the final event lists none', () => {
    const completed = { id: 'resp_1', object: 'response', status: 'completed', output: [], usage: { input_tokens: 1, output_tokens: 1 } };
    const text = sse([
      { type: 'response.created', response: { ...completed, status: 'in_progress' } },
      { type: 'response.output_item.done', output_index: 0, item },
      { type: 'response.completed', response: completed },
    ]);
    expect(JSON.parse(collectResponsesStream(text))).toEqual({ ...completed, output: [item] });
    const full = { ...completed, output: [item, item] };
    expect(JSON.parse(collectResponsesStream(sse([{ type: 'response.completed', response: full }])))).toEqual(full);
  });

  it('reports a failed or unfinished stream as an upstream error', () => {
    expect(() => collectResponsesStream(sse([{ type: 'response.failed', response: { error: { code: 'server_error', message: 'boom' } } }]))).toThrow('boom');
    expect(() => collectResponsesStream(sse([{ type: 'response.output_item.done', item }]))).toThrow(/ended before/);
  });
});
