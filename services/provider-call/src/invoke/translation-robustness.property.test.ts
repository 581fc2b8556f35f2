import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { ClientFormat, InvokeRequest } from '@aigw/proto';
import { clientCodecFor, providerAdapterFor } from '../adapters/adapter-registry.js';
import type { UpstreamTarget } from '../adapters/provider-adapter.js';
import { planExchange } from './plan-exchange.js';

// No client input, however large or deeply nested, crashes a decoder or a translator: each either
// translates it or refuses it with AppError INVALID_REQUEST. Upstream answers get the same care: they
// are read or refused with AppError UPSTREAM_ERROR, never another exception.

const FORMATS = [
  ClientFormat.CLIENT_FORMAT_OPENAI,
  ClientFormat.CLIENT_FORMAT_ANTHROPIC,
  ClientFormat.CLIENT_FORMAT_GEMINI,
  ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES,
] as const;
const PROVIDERS = ['openai', 'openai/responses', 'anthropic', 'gemini', 'antigravity'] as const;
const kindAndWire = (name: string): [string, string] => {
  const [kind = '', wire = ''] = name.split('/');
  return [kind, wire];
};
const adapterOf = (name: string) => providerAdapterFor(...kindAndWire(name));
const TARGET: UpstreamTarget = { accountId: 1, baseUrl: 'http://upstream', model: 'gemini-3-pro', settings: { project: 'p' } };

const VALID: Record<(typeof FORMATS)[number], unknown> = {
  [ClientFormat.CLIENT_FORMAT_OPENAI]: {
    model: 'm',
    messages: [
      { role: 'system', content: 'sys' },
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,QQ' } }] },
      { role: 'assistant', content: null, reasoning_content: 'r', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: 'c', content: 'ok' },
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'number' } } } } }],
    tool_choice: 'auto',
    temperature: 0.5,
    stop: ['x'],
  },
  [ClientFormat.CLIENT_FORMAT_ANTHROPIC]: {
    model: 'm',
    max_tokens: 100,
    system: [{ type: 'text', text: 'sys' }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QQ' } }] },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 's' }, { type: 'tool_use', id: 'c', name: 'f', input: { a: 1 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c', content: [{ type: 'text', text: 'ok' }] }] },
    ],
    tools: [{ name: 'f', input_schema: { type: 'object', properties: { a: { type: 'number' } } } }],
    thinking: { type: 'enabled', budget_tokens: 2048 },
  },
  [ClientFormat.CLIENT_FORMAT_GEMINI]: {
    system_instruction: { parts: [{ text: 'sys' }] },
    contents: [
      { role: 'user', parts: [{ text: 'hi' }, { inline_data: { mime_type: 'image/png', data: 'QQ' } }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'sig' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'f', response: { output: 'ok' } } }] },
    ],
    tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'OBJECT', properties: { a: { type: 'NUMBER' } } } }] }],
    generationConfig: { temperature: 0.5, thinkingConfig: { thinkingBudget: 1024 } },
  },
  [ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES]: {
    model: 'm',
    instructions: 'sys',
    input: [
      { role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: 'data:image/png;base64,QQ' }] },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'r' }], encrypted_content: 'sig' },
      { type: 'function_call', call_id: 'c', name: 'f', arguments: '{"a":1}' },
      { type: 'function_call_output', call_id: 'c', output: 'ok' },
      { type: 'custom_tool_call', call_id: 'p', name: 'patch', input: '*** Begin Patch' },
      { type: 'custom_tool_call_output', call_id: 'p', output: [{ type: 'input_text', text: 'done' }] },
    ],
    tools: [
      { type: 'function', name: 'f', parameters: { type: 'object', properties: { a: { type: 'number' } } } },
      { type: 'namespace', name: 'ns', tools: [{ type: 'function', name: 'g', parameters: { type: 'object', properties: {} } }] },
      { type: 'custom', name: 'patch' },
      { type: 'web_search' },
    ],
    tool_choice: 'auto',
    text: { format: { type: 'json_schema', name: 'o', schema: { type: 'object' } } },
    reasoning: { effort: 'low', summary: 'auto' },
    temperature: 0.5,
  },
};

/** Nested arrays or objects `depth` levels deep, built without recursion. */
function deep(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** The JSON text of `deep(depth, kind)`, built without JSON.stringify (which would overflow the stack). */
function deepText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Body texts that put a 10,000-level nesting where each format reads nested values. */
const DEEP_BODIES: readonly string[] = (['array', 'object'] as const).flatMap((kind) => {
  const d = deepText(10_000, kind);
  return [
    d,
    `{"model":"m","max_tokens":5,"messages":${d}}`,
    `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":${d}}]}`,
    `{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"c","name":"f","input":${d}}]}]}`,
    `{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":${JSON.stringify(d)}}}]}]}`,
    `{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":${d}}}]}`,
    `{"contents":[{"role":"model","parts":[{"functionCall":{"name":"f","args":${d}}}]}]}`,
    `{"contents":[{"parts":[{"text":"x"}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":${d}}]}]}`,
    `{"model":"m","input":${d}}`,
    `{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":${JSON.stringify(d)}}]}`,
    `{"model":"m","input":"x","tools":[{"type":"namespace","name":"n","tools":[{"type":"function","name":"f","parameters":${d}}]}]}`,
  ];
});

/** Every path into a JSON value (iterative). */
function paths(value: unknown): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const stack: Array<[unknown, Array<string | number>]> = [[value, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, Array<string | number>];
    out.push(path);
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) stack.push([child, [...path, Array.isArray(node) ? Number(key) : key]]);
  }
  return out;
}

function replaced(value: unknown, path: Array<string | number>, by: unknown): unknown {
  if (path.length === 0) return by;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = by;
  return copy;
}

const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(10, 1_000, 10_000).chain((d) => fc.constantFrom(deep(d, 'array'), deep(d, 'object'))) },
  { weight: 1, arbitrary: fc.constantFrom(10_000, 1_000_000).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom(deepText(10_000, 'object'), deepText(10_000, 'array'), '{"a":') },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53, 0.5, '', null, true, [], {}) },
);

/** A valid body with one value somewhere replaced by something hostile. */
const mutatedBody = (format: (typeof FORMATS)[number]) => {
  const base = VALID[format];
  const all = paths(base);
  return fc.tuple(fc.nat({ max: all.length - 1 }), hostile).map(([i, by]) => replaced(base, all[i] as Array<string | number>, by));
};

/** Runs `fn`; passes when it returns or throws AppError with the given code. */
function translatesOrRefuses(fn: () => unknown, code: AppError['code']): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== code) throw error;
  }
}

describe.each(FORMATS)('client format %s (property)', (format) => {
  const codec = clientCodecFor(format);
  const decodeAndBuild = (body: unknown) => () => {
    const { ir } = codec.decodeRequest(body, false);
    for (const kind of PROVIDERS) adapterOf(kind).buildRequest(ir, TARGET);
  };

  it('decodes any JSON value or refuses it as INVALID_REQUEST', () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => translatesOrRefuses(decodeAndBuild(body), 'INVALID_REQUEST')), { numRuns: 300 });
  });

  it('translates a valid body with anything put anywhere in it, or refuses it as INVALID_REQUEST', () => {
    fc.assert(fc.property(mutatedBody(format), (body) => translatesOrRefuses(decodeAndBuild(body), 'INVALID_REQUEST')), { numRuns: 400 });
  });

  it('plans any body text for every provider, or refuses it as INVALID_REQUEST', () => {
    const shallow = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom('x'.repeat(1_000_000), deepText(10_000, 'object')));
    const mutatedText = fc.tuple(fc.nat(), shallow).map(([i, by]) => {
      const all = paths(VALID[format]);
      return JSON.stringify(replaced(VALID[format], all[i % all.length] as Array<string | number>, by));
    });
    const text = fc.oneof(fc.string(), mutatedText, fc.constantFrom(...DEEP_BODIES, '['.repeat(100_000)));
    fc.assert(
      fc.property(text, fc.constantFrom(...PROVIDERS), fc.boolean(), (body, kind, stream) => {
        const request = InvokeRequest.fromPartial({
          requestId: 'r',
          clientFormat: format,
          body: Buffer.from(body),
          upstreamModel: 'gemini-3-pro',
          account: { id: 1, providerKind: kindAndWire(kind)[0], providerWire: kindAndWire(kind)[1], baseUrl: 'http://upstream', settingsJson: '{"project":"p"}' },
        });
        translatesOrRefuses(() => planExchange(request, stream), 'INVALID_REQUEST');
      }),
      { numRuns: 300 },
    );
  });

  it('accepts the valid body as it is', () => {
    expect(() => decodeAndBuild(VALID[format])()).not.toThrow();
  });
});

describe.each(PROVIDERS)('%s upstream answers (property)', (kind) => {
  const adapter = adapterOf(kind);
  const event = fc.record({ event: fc.constantFrom('message', 'message_start', 'content_block_delta', 'error', 'ping', 'response.completed', 'response.output_item.added'), data: fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))) });

  it('reads any JSON answer or refuses it as UPSTREAM_ERROR', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.constant(deep(10_000, 'object'))), (body) => translatesOrRefuses(() => adapter.decodeResponse(body), 'UPSTREAM_ERROR')), {
      numRuns: 300,
    });
  });

  it('reads any stream of events or refuses it as UPSTREAM_ERROR', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), (events) =>
        translatesOrRefuses(() => {
          const decoder = adapter.createStreamDecoder();
          for (const e of events) decoder.push(e);
          decoder.end();
        }, 'UPSTREAM_ERROR'),
      ),
      { numRuns: 300 },
    );
  });
});
