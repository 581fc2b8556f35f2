import { describe, expect, it } from 'vitest';
import { renameResponseId, responsesPassthroughExchange, ResponsesPassthroughStream } from './responses-passthrough.js';

const target = { accountId: 1, baseUrl: 'http://up/v1', model: 'gpt-5.1-codex', settings: {}, credential: { headerName: 'authorization', headerValue: 'Bearer k' } };
const usage = { input_tokens: 5, input_tokens_details: { cached_tokens: 1 }, output_tokens: 3, output_tokens_details: { reasoning_tokens: 0 } };
const ev = (data: Record<string, unknown>) => ({ event: String(data.type), data: JSON.stringify(data) });

describe('Responses pass-through', () => {
  it('forwards the body as written, with the routed model and the call stream flag, to /responses', () => {
    const exchange = responsesPassthroughExchange({ model: 'alias', input: 'hi', store: false, custom: { x: 1 } }, target, true, 'resp_gw');
    expect(exchange.request.url).toBe('http://up/v1/responses');
    expect(JSON.parse(String(exchange.request.body))).toEqual({ model: 'gpt-5.1-codex', input: 'hi', store: false, custom: { x: 1 }, stream: true });
    expect(exchange.droppedFields).toEqual([]);
  });

  it('renames only the response id in a whole answer, and reads its usage', () => {
    const exchange = responsesPassthroughExchange({ model: 'a', input: 'hi' }, target, false, 'resp_gw');
    const body = JSON.stringify({ id: 'resp_up', object: 'response', previous_response_id: 'resp_up', output: [{ id: 'msg_1', type: 'message' }], usage });
    const read = exchange.readResponse(body);
    expect(JSON.parse(read.body)).toMatchObject({ id: 'resp_gw', previous_response_id: 'resp_up', output: [{ id: 'msg_1' }] });
    expect(read.usage).toEqual({ inputTokens: 5, outputTokens: 3, cachedInputTokens: 1 });
    expect(renameResponseId('{ "id" : "resp_up" }', 'resp_up', 'resp_gw')).toBe('{ "id" : "resp_gw" }');
  });

  it('keeps the upstream id when ingress chose none', () => {
    const exchange = responsesPassthroughExchange({ model: 'a', input: 'hi' }, target, false, undefined);
    expect(JSON.parse(exchange.readResponse(JSON.stringify({ id: 'resp_up', output: [], usage })).body).id).toBe('resp_up');
  });

  it('renames the response in created, in_progress and completed events, and reads the usage', () => {
    const stream = new ResponsesPassthroughStream('resp_gw');
    let out = stream.push(ev({ type: 'response.created', response: { id: 'resp_up', status: 'in_progress' }, sequence_number: 0 }));
    out += stream.push(ev({ type: 'response.in_progress', response: { id: 'resp_up' }, sequence_number: 1 }));
    out += stream.push(ev({ type: 'response.output_text.delta', item_id: 'msg_1', delta: 'Hi', sequence_number: 2 }));
    out += stream.push(ev({ type: 'response.completed', response: { id: 'resp_up', status: 'completed', usage }, sequence_number: 3 }));
    out += stream.end();
    expect(out).not.toContain('resp_up');
    expect(out.match(/resp_gw/g)).toHaveLength(3);
    expect(out).toContain('event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"msg_1","delta":"Hi","sequence_number":2}\n\n');
    expect(stream.usage()).toEqual({ inputTokens: 5, outputTokens: 3, cachedInputTokens: 1 });
  });

  it('reports a failed response as a broken stream, handing the client the upstream failure event itself', () => {
    const stream = new ResponsesPassthroughStream('resp_gw');
    stream.push(ev({ type: 'response.created', response: { id: 'resp_up' }, sequence_number: 0 }));
    expect(() => stream.push(ev({ type: 'response.failed', response: { id: 'resp_up', status: 'failed', error: { code: 'server_error', message: 'boom' } }, sequence_number: 1 }))).toThrow('boom');
    const failure = stream.fail({ status: 500, message: 'boom' });
    expect(failure.startsWith('event: response.failed\n')).toBe(true);
    expect(failure).toContain('"id":"resp_gw"');
  });

  it('ends a cut stream with an error event of its own (one the openai SDK throws on), then the response failed, numbered after the last', () => {
    const stream = new ResponsesPassthroughStream('resp_gw');
    stream.push(ev({ type: 'response.created', response: { id: 'resp_up', status: 'in_progress', output: [] }, sequence_number: 0 }));
    stream.push(ev({ type: 'response.output_text.delta', item_id: 'msg_1', delta: 'Hi', sequence_number: 1 }));
    expect(() => stream.end()).toThrow(/ended before its final event/);
    const failure = stream.fail({ status: 502, message: 'cut' });
    const [error, failed] = failure.split('\n\n').filter((e) => e !== '');
    expect(error?.startsWith('event: error\n')).toBe(true);
    expect(JSON.parse(error?.split('data: ')[1] ?? '')).toMatchObject({ type: 'error', message: 'cut', error: { message: 'cut' }, sequence_number: 2 });
    expect(failed?.startsWith('event: response.failed\n')).toBe(true);
    expect(JSON.parse(failed?.split('data: ')[1] ?? '')).toEqual({
      type: 'response.failed',
      response: { id: 'resp_gw', status: 'failed', output: [], error: { code: 'upstream_error', message: 'cut' } },
      sequence_number: 3,
    });
  });

  it('ends a stream cut before the response began with the error event alone', () => {
    const failure = new ResponsesPassthroughStream(undefined).fail({ status: 502, message: 'cut' });
    expect(failure.startsWith('event: error\n')).toBe(true);
    expect(failure).not.toContain('response.failed');
  });
});
