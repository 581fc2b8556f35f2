import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { ResponsesAnswerContext } from './responses-answer-context.js';
import { responsesRequestToIr } from './responses-request.js';
import { irToolName } from './responses-request-tools.js';

const CODEX = JSON.parse(readFileSync(new URL('../../../../../test/fixtures/codex/first-turn.json', import.meta.url), 'utf8')).body as Record<string, unknown>;
const decode = (body: Record<string, unknown>, stream = false) => responsesRequestToIr({ model: 'm', ...body }, stream);
const answerOf = (body: Record<string, unknown>) => decode(body).answer as ResponsesAnswerContext;

describe('a Responses request → IR', () => {
  it('takes Codex’s first turn: developer messages as the system prompt, namespace tools flattened, web_search reported', () => {
    const { ir, streamUsage } = responsesRequestToIr(CODEX, true);
    expect(ir.system).toMatch(/^You are a coding agent running in the Codex CLI/);
    expect(ir.system).toContain('<permissions instructions>');
    expect(ir.messages.map((m) => m.role)).toEqual(['user', 'user']);
    expect(ir.messages[1]?.parts).toEqual([{ type: 'text', text: 'say hi' }]);
    const names = ir.tools.map((t) => t.name);
    expect(names).toContain('exec_command');
    expect(names).toContain('multi_agent_v1__spawn_agent');
    expect(names.every((n) => /^[a-zA-Z0-9_-]{1,64}$/.test(n))).toBe(true);
    expect(ir.toolChoice).toEqual({ type: 'auto' });
    expect(ir.parallelToolCalls).toBe(true);
    expect(streamUsage).toBe(true);
    expect(ir.dropped).toEqual(expect.arrayContaining(['tools[8].type=web_search', 'prompt_cache_key', 'client_metadata']));
    // Encrypted reasoning is always given back, so asking for it is honoured; store is ingress's business.
    expect(ir.dropped.some((d) => d.startsWith('include') || d === 'store' || d === 'reasoning')).toBe(false);
    const answer = responsesRequestToIr(CODEX, true).answer as ResponsesAnswerContext;
    expect(answer.toolNames.get('multi_agent_v1__spawn_agent')).toEqual({ name: 'spawn_agent', namespace: 'multi_agent_v1', custom: false });
    expect(answer.echo.store).toBe(false);
    expect((answer.echo.tools as unknown[]).length).toBe(9);
  });

  it('puts instructions first, leading system messages after them, later ones in place', () => {
    const { ir } = decode({
      instructions: 'Be brief.',
      input: [
        { role: 'system', content: 'Sys.' },
        { role: 'user', content: 'Hi' },
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Now French.' }] },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Bonjour' }] },
      ],
    });
    expect(ir.system).toBe('Be brief.\n\nSys.');
    expect(ir.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
      { role: 'system', parts: [{ type: 'text', text: 'Now French.' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Bonjour' }] },
    ]);
    expect(decode({ input: 'Hello' }).ir.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'Hello' }] }]);
  });

  it('groups a turn’s reasoning, message and calls into one assistant message, and its outputs into one user message', () => {
    const { ir } = decode({
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' }] },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Look it up.' }], encrypted_content: 'SIG' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
        { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'call_2', name: 'spawn_agent', namespace: 'multi', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'ok' }, { type: 'input_image', image_url: 'https://x/y.png' }] },
      ],
    });
    expect(ir.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Weather?' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'Look it up.', signature: 'SIG' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
          { type: 'tool_call', id: 'call_2', name: 'multi__spawn_agent', arguments: '{}' },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', toolCallId: 'call_1', name: 'weather', content: 'sunny', isError: false },
          { type: 'tool_result', toolCallId: 'call_2', name: 'multi__spawn_agent', content: 'ok', images: [{ kind: 'url', url: 'https://x/y.png' }], isError: false },
        ],
      },
    ]);
    expect(ir.dropped).toEqual([]);
  });

  it('carries custom tools as a function of one string argument, and their calls and outputs', () => {
    const { ir } = decode({
      tools: [{ type: 'custom', name: 'apply_patch', description: 'Patch files.', format: { type: 'grammar', syntax: 'lark', definition: 'start: "x"' } }],
      input: [
        { role: 'user', content: 'fix it' },
        { type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: '*** Begin Patch' },
        { type: 'custom_tool_call_output', call_id: 'c1', output: 'Done' },
      ],
    });
    expect(ir.tools[0]?.parameters).toMatchObject({ type: 'object', required: ['input'], properties: { input: { type: 'string' } } });
    expect(ir.tools[0]?.description).toContain('start: "x"');
    expect(ir.messages[1]?.parts).toEqual([{ type: 'tool_call', id: 'c1', name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' }]);
    expect(ir.dropped).toEqual(['tools[0].format']);
  });

  it('maps every tool_choice, reporting what it cannot keep', () => {
    const tools = [{ type: 'function', name: 'f' }, { type: 'namespace', name: 'ns', tools: [{ type: 'function', name: 'g' }] }];
    expect(decode({ input: 'x', tools, tool_choice: 'required' }).ir.toolChoice).toEqual({ type: 'required' });
    expect(decode({ input: 'x', tools, tool_choice: { type: 'function', name: 'g' } }).ir.toolChoice).toEqual({ type: 'tool', name: 'ns__g' });
    expect(decode({ input: 'x', tools, tool_choice: { type: 'function', name: 'ns.g' } }).ir.toolChoice).toEqual({ type: 'tool', name: 'ns__g' });
    const allowed = decode({ input: 'x', tools, tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'f' }] } }).ir;
    expect([allowed.toolChoice, allowed.dropped]).toEqual([{ type: 'required' }, ['tool_choice.allowed_tools']]);
    const builtIn = decode({ input: 'x', tools: [{ type: 'file_search', vector_store_ids: ['v'] }], tool_choice: { type: 'file_search' } }).ir;
    expect([builtIn.toolChoice, builtIn.tools, builtIn.dropped]).toEqual([undefined, [], ['tools[0].type=file_search', 'tool_choice.type=file_search']]);
  });

  it('maps text.format, reasoning.effort, limits, sampling and the user', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    const { ir } = decode({
      input: 'x',
      text: { format: { type: 'json_schema', name: 'out', schema, strict: true } },
      reasoning: { effort: 'low', summary: 'auto' },
      max_output_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
      safety_identifier: 'u-1',
    });
    expect(ir).toMatchObject({
      responseFormat: { type: 'json_schema', schema, name: 'out', strict: true },
      thinking: { enabled: true, effort: 'low' },
      maxTokens: 300,
      temperature: 0.2,
      topP: 0.9,
      user: { id: 'u-1', field: 'safety_identifier' },
      dropped: [],
    });
    expect(decode({ input: 'x', text: { format: { type: 'json_object' } } }).ir.responseFormat).toEqual({ type: 'json_object' });
    expect(decode({ input: 'x', reasoning: { effort: 'none' } }).ir.thinking).toEqual({ enabled: false });
    expect(decode({ input: 'x', reasoning: { effort: 'xhigh' } }).ir).toMatchObject({ thinking: { effort: 'high' }, dropped: ['reasoning.effort=xhigh'] });
  });

  it('reports settings it repeats but cannot act on, and fields it does not know', () => {
    const { ir } = decode({
      input: 'x',
      include: ['reasoning.encrypted_content', 'message.output_text.logprobs'],
      truncation: 'auto',
      background: true,
      text: { verbosity: 'low' },
      service_tier: 'flex',
      conversation: 'conv_1',
      metadata: { a: 'b' },
      store: true,
      previous_response_id: 'resp_1',
    });
    expect(ir.dropped.sort()).toEqual(['background', 'conversation', 'include=message.output_text.logprobs', 'service_tier', 'text.verbosity', 'truncation']);
  });

  it('refuses an item_reference that reached translation, and reports item types it cannot carry', () => {
    const error = (() => {
      try {
        decode({ input: [{ role: 'user', content: 'x' }, { type: 'item_reference', id: 'msg_9' }] });
      } catch (caught) {
        return caught as AppError;
      }
      throw new Error('expected a failure');
    })();
    expect([error.code, error.details.param]).toEqual(['INVALID_REQUEST', 'input[1]']);
    expect(() => responsesRequestToIr({ model: 'm', previous_response_id: 'resp_1' }, false)).toThrow(/input: Field required/);
    expect(decode({ input: [{ role: 'user', content: 'x' }, { type: 'computer_call_output', call_id: 'c' }] }).ir.dropped).toEqual(['input[1].type=computer_call_output']);
    const cached = [{ type: 'input_text', text: 'long prefix', prompt_cache_breakpoint: { ttl: '30m' } }];
    expect(decode({ input: [{ role: 'user', content: cached }] }).ir.dropped).toEqual(['input.content.input_text.prompt_cache_breakpoint']);
    expect(decode({ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }, { type: 'input_image', file_id: 'f2' }] }] }).ir.dropped).toEqual([
      'input.content.input_file',
      'input.content.input_image.file_id',
    ]);
  });

  it('keeps what the answer repeats, with OpenAI’s defaults', () => {
    expect(answerOf({ input: 'x' }).echo).toMatchObject({
      instructions: null, parallel_tool_calls: true, store: true, temperature: 1, top_p: 1, tool_choice: 'auto', tools: [],
      text: { format: { type: 'text' }, verbosity: 'medium' }, reasoning: { effort: null, summary: null }, truncation: 'disabled', metadata: {},
    });
    const tools = [{ type: 'web_search' }, { type: 'function', name: 'f', parameters: {} }];
    expect(answerOf({ input: 'x', tools, instructions: 'I', metadata: { k: 'v' } }).echo).toMatchObject({ tools, instructions: 'I', metadata: { k: 'v' } });
  });
});

describe('namespaced tool names', () => {
  it('join namespace and name, and stay within what every provider accepts', () => {
    expect(irToolName('f')).toBe('f');
    expect(irToolName('spawn_agent', 'multi_agent_v1')).toBe('multi_agent_v1__spawn_agent');
    const long = irToolName('x'.repeat(60), 'crm.tools');
    expect(long).toMatch(/^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/);
    expect(irToolName('f', '9lives')).toMatch(/^_9lives__f_[0-9a-f]{8}$/);
    expect(long).not.toBe(irToolName('x'.repeat(61), 'crm.tools'));
  });
});
