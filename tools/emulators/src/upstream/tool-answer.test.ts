import { describe, expect, it } from 'vitest';
import { buildReply, composeAnswerText, type ChatRequest } from './reply.js';
import { thinkingSignature } from './thinking.js';
import { chooseTool, composeToolResultText, TOOL_RESULT_LIMIT, toolResultText } from './tool-answer.js';

const weather = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const time = { name: 'get_time' };
const base: ChatRequest = { model: 'm', stream: false, lastUserText: 'weather in Paris', inputTokens: 3, streamUsage: false };

describe('chooseTool', () => {
  it('calls the first declared tool until the conversation ends with tool results', () => {
    expect(chooseTool([weather, time], undefined, false, undefined)).toBe(weather);
    expect(chooseTool([weather, time], undefined, true, undefined)).toBeUndefined();
    expect(chooseTool(undefined, undefined, false, undefined)).toBeUndefined();
    expect(chooseTool([], 'required', false, undefined)).toBeUndefined();
  });

  it('follows the directive and the tool choice', () => {
    expect(chooseTool([weather, time], undefined, false, 'none')).toBeUndefined();
    expect(chooseTool([weather, time], undefined, false, 'get_time')).toBe(time);
    expect(chooseTool([weather, time], undefined, false, 'unknown')).toBe(weather);
    expect(chooseTool([weather, time], 'none', false, undefined)).toBeUndefined();
    expect(chooseTool([weather, time], 'required', true, undefined)).toBe(weather);
    expect(chooseTool([weather, time], { name: 'get_time' }, true, undefined)).toBe(time);
  });
});

describe('tool results', () => {
  it('reads results the way each format carries them', () => {
    expect(toolResultText('sunny')).toBe('sunny');
    expect(toolResultText([{ type: 'text', text: 'a' }, { type: 'image' }, { type: 'text', text: 'b' }])).toBe('a\nb');
    expect(toolResultText({ content: 'sunny' })).toBe('sunny');
    expect(toolResultText({ temp: 21, sky: 'clear' })).toBe('{"temp":21,"sky":"clear"}');
    expect(toolResultText(undefined)).toBe('');
  });

  it('reports each result, capped', () => {
    expect(composeToolResultText([{ name: 'a', text: ' x ' }, { name: 'b', text: 'y' }])).toBe('Tool a returned: x Tool b returned: y');
    expect(composeToolResultText([{ name: 'a', text: 'z'.repeat(500) }])).toBe(`Tool a returned: ${'z'.repeat(TOOL_RESULT_LIMIT)}`);
  });
});

describe('buildReply with tools, reasoning, cache and images', () => {
  it('answers with a tool call built from the schema', () => {
    expect(buildReply({ ...base, tools: [weather] })).toEqual({
      text: '',
      inputTokens: 3,
      outputTokens: 2,
      finish: 'tool_calls',
      toolCall: { name: 'get_weather', arguments: { city: 'city-value' }, argumentsJson: '{"city":"city-value"}' },
    });
  });

  it('answers a tool result with text, and obeys [emu tool=none]', () => {
    const after = buildReply({ ...base, tools: [weather], toolResults: [{ name: 'get_weather', text: 'sunny' }] });
    expect(after).toMatchObject({ text: 'Tool get_weather returned: sunny', finish: 'stop', outputTokens: 4 });
    expect(after.toolCall).toBeUndefined();
    expect(buildReply({ ...base, tools: [weather], lastUserText: 'hi [emu tool=none]' })).toMatchObject({ text: 'Hello from m: hi', finish: 'stop' });
  });

  it('starts with deterministic reasoning when the request or the directive asks', () => {
    const reply = buildReply({ ...base, thinking: true });
    expect(reply.text).toBe('Hello from m: weather in Paris');
    expect(reply.thinking?.text).toBe('The user wrote: weather in Paris. I should answer with a greeting that echoes it.');
    expect(reply.thinking?.signature).toBe(thinkingSignature(reply.thinking?.text ?? ''));
    expect(reply.thinking?.tokens).toBe(15);
    expect(buildReply({ ...base, lastUserText: 'x [emu thinking=on]' }).thinking?.text).toContain('The user wrote: x.');
    expect(buildReply({ ...base, thinking: true, lastUserText: 'x [emu thinking=off]' }).thinking).toBeUndefined();
    expect(buildReply({ ...base, thinking: true, tools: [weather] }).thinking?.text).toContain('call the tool get_weather');
  });

  it('reports cached tokens from the directive and marks images', () => {
    expect(buildReply({ ...base, lastUserText: 'x [emu cached=9]' }).cachedTokens).toBe(9);
    expect(buildReply(base).cachedTokens).toBeUndefined();
    expect(composeAnswerText({ ...base, images: 1 })).toBe('Hello from m: weather in Paris [1 image]');
    expect(buildReply({ ...base, images: 2 })).toMatchObject({ text: 'Hello from m: weather in Paris [2 images]', outputTokens: 8 });
  });
});

describe('tool arguments the user asked for', () => {
  it('calls the named tool with the asked arguments, then reports its result', () => {
    const read = { name: 'Read', parameters: { type: 'object', properties: { file_path: { type: 'string' }, limit: { type: 'number' } }, required: ['file_path'] } };
    const ask = { ...base, lastUserText: 'Read my notes [emu tool=Read arg.file_path=/tmp/notes.txt]', tools: [weather, read] };
    expect(buildReply(ask).toolCall).toEqual({ name: 'Read', arguments: { file_path: '/tmp/notes.txt' }, argumentsJson: '{"file_path":"/tmp/notes.txt"}' });
    const answered = buildReply({ ...ask, toolResults: [{ name: 'Read', text: 'launch code falcon-42' }] });
    expect(answered.toolCall).toBeUndefined();
    expect(answered.text).toBe('Tool Read returned: launch code falcon-42');
  });
});
