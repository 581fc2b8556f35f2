import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IrMessage, IrPart, IrRequest, IrTool, IrToolChoice } from '../ir/chat-ir.js';
import { anthropicRequestToIr } from './anthropic/anthropic-request.js';
import { irToAnthropicRequest } from './anthropic/anthropic-request-encoder.js';
import { irToGeminiRequest } from './google/gemini-request.js';
import { geminiRequestToIr } from './google/gemini-request-decoder.js';
import { irToOpenAiRequest } from './openai/openai-request-encoder.js';
import { openAiRequestToIr } from './openai/openai-request.js';

// OpenAI, Anthropic and Gemini are client formats and provider formats both. For any request in what
// a format can carry, IR → provider body → (as a client body) IR gives the same messages, tools and
// parameters back, and encoding that IR again gives the same body: client → IR → client is stable.

type Format = 'openai' | 'anthropic' | 'gemini';

const CODECS: Record<Format, { encode(ir: IrRequest): { body: unknown; dropped: string[] }; decode(body: unknown, stream: boolean): IrRequest }> = {
  openai: { encode: (ir) => irToOpenAiRequest(ir, 'm'), decode: (body, stream) => openAiRequestToIr(body, stream).ir },
  anthropic: { encode: (ir) => irToAnthropicRequest(ir, 'm'), decode: (body, stream) => anthropicRequestToIr(body, stream).ir },
  gemini: {
    encode: (ir) => {
      const { request, dropped } = irToGeminiRequest(ir, 'gemini-2.5-pro');
      return { body: request, dropped };
    },
    decode: (body, stream) => geminiRequestToIr(body, stream).ir,
  },
};

const text = fc.string({ minLength: 1, maxLength: 30 });
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);
const signature = fc.base64String({ minLength: 4, maxLength: 40 });
const argumentsText = fc
  .dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .map((o) => JSON.stringify(o))
  .filter((s) => JSON.stringify(JSON.parse(s)) === s);
const image = fc.oneof(
  fc.record({ kind: fc.constant('base64' as const), mediaType: fc.constantFrom('image/png', 'image/jpeg', 'image/webp'), data: fc.base64String({ minLength: 4, maxLength: 24 }) }),
  fc.record({ kind: fc.constant('url' as const), url: fc.webUrl({ validSchemes: ['https'] }) }),
);
const base64Image = image.filter((i) => i.kind === 'base64');

const textPart = text.map((t): IrPart => ({ type: 'text', text: t }));
const toolCall = fc.record({ type: fc.constant('tool_call' as const), id, name: id, arguments: argumentsText });

/** A user turn: tool results first (every format puts them there), then text and images. */
function userTurn(format: Format): fc.Arbitrary<IrMessage> {
  const result = fc.record({
    type: fc.constant('tool_result' as const),
    toolCallId: id,
    content: text,
    isError: format === 'openai' ? fc.constant(false) : fc.boolean(),
  });
  const media = (format === 'gemini' ? base64Image : image).map((source): IrPart => ({ type: 'image', source }));
  return fc
    .tuple(fc.array(result, { maxLength: 2 }), fc.array(fc.oneof(textPart, media), { maxLength: 3 }))
    .filter(([r, c]) => r.length + c.length > 0)
    .map(([r, c]) => ({ role: 'user', parts: [...r, ...c] }));
}

/** An assistant turn in the shape each format writes (OpenAI: reasoning, text, calls; others: any order). */
function assistantTurn(format: Format): fc.Arbitrary<IrMessage> {
  const signedCall = fc.tuple(fc.option(signature, { nil: undefined }), toolCall).map(([sig, call]): IrPart[] =>
    sig === undefined ? [call] : [{ type: 'reasoning', text: '', signature: sig }, call],
  );
  if (format === 'openai') {
    return fc
      .tuple(fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }), fc.array(signedCall, { maxLength: 2 }))
      .map(([reasoning, t, calls]): IrPart[] => [
        ...(reasoning === undefined ? [] : [{ type: 'reasoning' as const, text: reasoning }]),
        ...(t === undefined ? [] : [{ type: 'text' as const, text: t }]),
        ...calls.flat(),
      ])
      .filter((parts) => parts.length > 0)
      .map((parts) => ({ role: 'assistant', parts }));
  }
  const thinking = fc.record({ type: fc.constant('reasoning' as const), text, signature }).map((p): IrPart[] => [p]);
  const redacted = fc.record({ type: fc.constant('redacted_reasoning' as const), data: signature }).map((p): IrPart[] => [p]);
  const signedText = fc.tuple(signature, text).map(([sig, t]): IrPart[] => [{ type: 'reasoning', text: '', signature: sig }, { type: 'text', text: t }]);
  const pieces =
    format === 'anthropic'
      ? fc.oneof(thinking, redacted, textPart.map((p) => [p]), toolCall.map((c): IrPart[] => [c]))
      : fc.oneof(thinking, signedText, textPart.map((p) => [p]), signedCall);
  return fc.array(pieces, { minLength: 1, maxLength: 4 }).map((chunks) => ({ role: 'assistant', parts: chunks.flat() }));
}

const schemaProperty = fc.record({ type: fc.constantFrom('string', 'number', 'integer', 'boolean'), description: fc.option(text, { nil: undefined }) }).map((p) =>
  p.description === undefined ? { type: p.type } : p,
);
const tool = fc
  .record({
    name: id,
    description: fc.option(text, { nil: undefined }),
    properties: fc.dictionary(id, schemaProperty, { minKeys: 1, maxKeys: 3 }),
  })
  .map(({ name, description, properties }): IrTool => ({
    name,
    ...(description === undefined ? {} : { description }),
    parameters: { type: 'object', properties, required: Object.keys(properties).slice(0, 1) },
  }));

function toolChoice(tools: IrTool[]): fc.Arbitrary<IrToolChoice | undefined> {
  const named = tools.length === 0 ? [] : [fc.constantFrom(...tools.map((t) => t.name)).map((name): IrToolChoice => ({ type: 'tool', name }))];
  return fc.option(fc.oneof(fc.constantFrom<IrToolChoice>({ type: 'auto' }, { type: 'none' }, { type: 'required' }), ...named), { nil: undefined });
}

/** Requests within what `format` carries, with alternating roles. */
function request(format: Format): fc.Arbitrary<IrRequest> {
  const turns = fc.array(fc.tuple(userTurn(format), assistantTurn(format)), { minLength: 1, maxLength: 3 }).chain((pairs) =>
    fc.boolean().map((endWithUser) => pairs.flat().slice(0, endWithUser ? -1 : undefined)),
  );
  return fc.record({ messages: turns, tools: fc.uniqueArray(tool, { maxLength: 3, selector: (t) => t.name }) }).chain(({ messages, tools }) =>
    fc
      .record({
        system: fc.option(text, { nil: undefined }),
        toolChoice: toolChoice(tools),
        parallel: fc.option(fc.boolean(), { nil: undefined }),
        thinking: fc.option(fc.oneof(fc.constant('off' as const), fc.integer({ min: 1024, max: 32_000 }), fc.constantFrom('low' as const, 'medium' as const, 'high' as const)), { nil: undefined }),
        maxTokens: fc.option(fc.integer({ min: 40_000, max: 64_000 }), { nil: undefined }),
        temperature: fc.option(fc.double({ min: 0, max: format === 'anthropic' ? 1 : 2, noNaN: true }).map((x) => x + 0), { nil: undefined }),
        topP: fc.option(fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x + 0), { nil: undefined }),
        topK: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        stop: fc.array(text, { maxLength: format === 'openai' ? 4 : 5 }),
        stream: fc.boolean(),
      })
      .map((p) => {
        const ir: IrRequest = { messages, tools, stop: p.stop, stream: p.stream, dropped: [] };
        if (p.system !== undefined) ir.system = p.system;
        if (p.toolChoice !== undefined) ir.toolChoice = p.toolChoice;
        const thinking = p.thinking;
        if (format === 'openai' && typeof thinking === 'string' && thinking !== 'off') ir.thinking = { enabled: true, effort: thinking };
        if (format !== 'openai' && typeof thinking === 'number') ir.thinking = { enabled: true, budgetTokens: thinking };
        if (format === 'gemini' && thinking === 'off') ir.thinking = { enabled: false };
        const thinks = ir.thinking?.enabled === true;
        if (format === 'anthropic' || p.maxTokens !== undefined) ir.maxTokens = p.maxTokens ?? 40_000;
        if (p.temperature !== undefined && !(format === 'anthropic' && thinks)) ir.temperature = p.temperature;
        if (p.topP !== undefined && !(format === 'anthropic' && thinks)) ir.topP = p.topP;
        if (p.topK !== undefined && format !== 'openai' && !(format === 'anthropic' && thinks)) ir.topK = p.topK;
        const parallelCarried = format === 'openai' || (format === 'anthropic' && ir.toolChoice !== undefined && ir.toolChoice.type !== 'none');
        if (p.parallel !== undefined && tools.length > 0 && parallelCarried) ir.parallelToolCalls = format === 'anthropic' ? false : p.parallel;
        return ir;
      }),
  );
}

/** What every format may legitimately change: how turns are split, and names Gemini adds to results. */
function normalize(ir: IrRequest): IrRequest {
  const messages: IrMessage[] = [];
  for (const message of ir.messages) {
    const parts = message.parts.map((p) => (p.type === 'tool_result' ? { type: p.type, toolCallId: p.toolCallId, content: p.content, isError: p.isError } : p));
    const last = messages.at(-1);
    if (last?.role === message.role) last.parts.push(...parts);
    else messages.push({ role: message.role, parts });
  }
  return { ...ir, messages };
}

describe.each(['openai', 'anthropic', 'gemini'] as const)('%s request round trip (property)', (format) => {
  const codec = CODECS[format];

  it('IR → body → IR keeps messages, tools and parameters, and reports nothing dropped', () => {
    fc.assert(
      fc.property(request(format), (ir) => {
        const { body, dropped } = codec.encode(ir);
        expect(dropped).toEqual([]);
        const decoded = codec.decode(JSON.parse(JSON.stringify(body)), ir.stream);
        expect(decoded.dropped).toEqual([]);
        expect(normalize(decoded)).toEqual(normalize(ir));
      }),
      { numRuns: 300 },
    );
  });

  it('body → IR → body gives the same body', () => {
    fc.assert(
      fc.property(request(format), (ir) => {
        const { body } = codec.encode(ir);
        const again = codec.encode(codec.decode(JSON.parse(JSON.stringify(body)), ir.stream)).body;
        expect(again).toEqual(body);
      }),
      { numRuns: 200 },
    );
  });
});
