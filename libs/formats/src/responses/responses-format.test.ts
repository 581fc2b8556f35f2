import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { thrownAppError as failure } from '../../test/support/thrown-app-error.js';
import { validateBody } from '../validation/validate-body.js';
import { CLIENT_FORMATS } from '../index.js';
import { responsesErrorEvent, responsesFormat } from './responses-format.js';
import { responsesRequestSchema } from './responses-schema.js';

const CODEX = JSON.parse(readFileSync(new URL('../../../../test/fixtures/codex/first-turn.json', import.meta.url), 'utf8')).body as Record<string, unknown>;
const parse = (body: Record<string, unknown>) => validateBody(responsesRequestSchema, { model: 'm', ...body });

describe('the Responses format module', () => {
  it('is registered under its name', () => {
    expect(CLIENT_FORMATS.responses).toBe(responsesFormat);
    expect(responsesFormat.name).toBe('responses');
  });

  it('reads model and stream from what clients send, Codex included', () => {
    expect(responsesFormat.checkRequest(CODEX)).toEqual({ model: 'gpt-5.1-codex', stream: true });
    expect(responsesFormat.checkRequest({ model: 'gpt-5', input: 'hi' })).toEqual({ model: 'gpt-5', stream: false });
    // A continuation names only the previous response: ingress fills in the conversation.
    expect(responsesFormat.checkRequest({ model: 'gpt-5', previous_response_id: 'resp_1', stream: null })).toEqual({ model: 'gpt-5', stream: false });
  });

  it('refuses bodies OpenAI refuses, naming the field', () => {
    expect(failure(() => responsesFormat.checkRequest({ input: 'hi' })).details.param).toBe('model');
    expect(failure(() => responsesFormat.checkRequest({ model: 'm', input: 5 })).details.param).toBe('input');
    expect(failure(() => responsesFormat.checkRequest({ model: 'm', input: 'x', stream: 'yes' })).details.param).toBe('stream');
    expect(failure(() => responsesFormat.checkRequest({ model: 'm', input: 'x', instructions: 3 })).details.param).toBe('instructions');
  });

  it('answers errors in OpenAI shape, and as a stream event that every Responses client fails on', () => {
    expect(responsesFormat.errorBody({ status: 429, message: 'slow down' })).toEqual({
      error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' },
    });
    const event = responsesErrorEvent({ status: 502, message: 'broke', param: null }, 7);
    expect(event.event).toBe('error');
    // The documented fields at the top, the fields OpenAI really sends nested under `error` (the openai SDK throws on it).
    expect(JSON.parse(event.data)).toEqual({
      type: 'error', code: 'upstream_error', message: 'broke', param: null,
      error: { type: 'server_error', code: 'upstream_error', message: 'broke', param: null },
      sequence_number: 7,
    });
    expect(JSON.parse(responsesFormat.errorEvent({ status: 504, message: 'idle' }).data).error.code).toBe('upstream_timeout');
  });
});

describe('the Responses request schema', () => {
  it('takes the whole Codex request, marking what it does not model', () => {
    const req = validateBody(responsesRequestSchema, CODEX);
    expect(Array.isArray(req.input) && req.input.map((i) => i.type)).toEqual(['message', 'message', 'message', 'message']);
    const types = (req.tools ?? []).map((t) => (t.type === 'unsupported' ? `unsupported:${t.name}` : t.type));
    expect(types).toContain('namespace');
    expect(types.at(-1)).toBe('unsupported:web_search');
    expect(req.reasoning?.summary).toBe('auto');
    expect((req as Record<string, unknown>).client_metadata).toBeDefined();
  });

  it('reads items without a type as messages, and every item kind clients send back', () => {
    const req = parse({
      input: [
        { role: 'user', content: 'hi' },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'think' }], encrypted_content: 'sig' },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}', namespace: 'ns' },
        { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'ok' }, { type: 'input_image', image_url: 'https://x/y.png' }] },
        { type: 'custom_tool_call', call_id: 'c2', name: 'apply_patch', input: '*** Begin Patch' },
        { type: 'custom_tool_call_output', call_id: 'c2', output: 'done' },
        { type: 'item_reference', id: 'msg_1' },
        { type: 'web_search_call', id: 'ws_1' },
      ],
    });
    expect(Array.isArray(req.input) && req.input.map((i) => i.type)).toEqual([
      'message', 'reasoning', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'item_reference', 'unsupported',
    ]);
  });

  it('accepts fields it does not know, as OpenAI accepts its newer ones', () => {
    expect(parse({ input: 'x', conversation: 'conv_1', prompt_cache_retention: '24h', moderation: { model: 'omni' } })).toMatchObject({ conversation: 'conv_1' });
  });

  it('refuses what OpenAI refuses: a bad role, a bad schema name, a tool without a name, a mode that does not exist', () => {
    expect(failure(() => parse({ input: [{ role: 'wizard', content: 'x' }] })).details.param).toBe('input[0].role');
    expect(failure(() => parse({ input: 'x', text: { format: { type: 'json_schema', name: 'a b', schema: {} } } })).details.param).toBe('text.format.name');
    expect(failure(() => parse({ input: 'x', tools: [{ type: 'function' }] })).details.param).toBe('tools[0].name');
    expect(failure(() => parse({ input: 'x', tool_choice: 'sometimes' })).details.param).toBe('tool_choice');
    expect(failure(() => parse({ input: 'x', tool_choice: { type: 'function' } })).message).toMatch(/^tool_choice: Invalid tool_choice: function and custom need a name/);
    expect(failure(() => parse({ input: 'x', max_output_tokens: 0 })).details.param).toBe('max_output_tokens');
  });
});
