import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { thrownAppError as failure } from '../test/support/thrown-app-error.js';
import { CLIENT_FORMATS, openAiRequestSchema, anthropicRequestSchema, geminiRequestSchema, validateBody } from './index.js';

const { openai, anthropic, gemini } = CLIENT_FORMATS;
const userMessage = { role: 'user', content: 'hi' };

describe('the rules every request of a format must meet (checked once, by ingress)', () => {
  it('read model and stream from OpenAI and Anthropic bodies', () => {
    expect(openai.checkRequest({ model: 'gpt-4o', messages: [userMessage] })).toEqual({ model: 'gpt-4o', stream: false });
    expect(openai.checkRequest({ model: 'gpt-4o', messages: [userMessage], stream: true, stream_options: null })).toEqual({ model: 'gpt-4o', stream: true });
    expect(anthropic.checkRequest({ model: 'c', max_tokens: 5, messages: [userMessage], stream: null })).toEqual({ model: 'c', stream: false });
    expect(gemini.checkRequest({ contents: [{ parts: [{ text: 'hi' }] }] })).toEqual({ model: undefined, stream: false });
  });

  it('refuse an empty messages / contents array in every format (the rule that had drifted)', () => {
    expect(failure(() => openai.checkRequest({ model: 'm', messages: [] })).details.param).toBe('messages');
    expect(failure(() => anthropic.checkRequest({ model: 'm', max_tokens: 1, messages: [] })).details.param).toBe('messages');
    expect(failure(() => gemini.checkRequest({ contents: [] })).details.param).toBe('contents');
  });

  it('name the field path and answer INVALID_REQUEST', () => {
    const error = failure(() => openai.checkRequest({ model: 'm', messages: [userMessage, { content: 'x' }] }));
    expect(error).toBeInstanceOf(AppError);
    expect([error.code, error.message, error.details.param]).toEqual(['INVALID_REQUEST', 'messages[1].role: Field required', 'messages[1].role']);
    expect(failure(() => gemini.checkRequest({ contents: [{ parts: 'hi' }] })).message).toBe('contents[0].parts: Invalid input: expected array, received string');
    expect(failure(() => anthropic.checkRequest({ model: 'm', messages: [userMessage] })).message).toBe('max_tokens: Field required');
  });

  it('check the model name the same way everywhere: not blank, at most 128 characters', () => {
    for (const model of [undefined, '', '   ', 5, null, 'x'.repeat(129)]) {
      expect(failure(() => openai.checkRequest({ model, messages: [userMessage] })).details.param).toBe('model');
    }
    expect(openai.checkRequest({ model: 'x'.repeat(128), messages: [userMessage] }).model).toHaveLength(128);
  });

  it('refuse bodies that are not objects, and flags of the wrong type', () => {
    for (const body of [undefined, null, 'x', 3, [1]]) {
      expect(failure(() => openai.checkRequest(body)).message).toBe('request body must be a JSON object');
    }
    expect(failure(() => openai.checkRequest({ model: 'm', messages: [userMessage], stream: 'yes' })).details.param).toBe('stream');
    for (const max_tokens of [0, -1, 1.5, '10']) {
      expect(failure(() => anthropic.checkRequest({ model: 'm', messages: [userMessage], max_tokens })).details.param).toBe('max_tokens');
    }
  });

  it('leave the rest of the body to the upstream or to translation', () => {
    // Roles and parts the gateway does not model pass the envelope (a same-format upstream judges them) …
    const body = { model: 'm', max_tokens: 10, messages: [{ role: 'system', content: [{ type: 'document', source: {} }] }] };
    expect(anthropic.checkRequest(body).model).toBe('m');
    // … and translation, which must understand every message, still refuses what it cannot read.
    expect(failure(() => validateBody(anthropicRequestSchema, { ...body, messages: [{ role: 'wizard', content: 'x' }] })).details.param).toBe('messages[0].role');
  });

  it('translation schemas extend the envelope: one definition of each shared rule', () => {
    for (const [schema, field] of [[openAiRequestSchema, 'model'], [anthropicRequestSchema, 'max_tokens'], [geminiRequestSchema, 'contents']] as const) {
      expect(Object.keys(schema.shape)).toContain(field);
    }
    expect(failure(() => validateBody(openAiRequestSchema, { model: '  ', messages: [userMessage] })).details.param).toBe('model');
  });
});
