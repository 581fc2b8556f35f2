import { describe, expect, it } from 'vitest';
import { thrownAppError as failure } from '../../test/support/thrown-app-error.js';
import { validateChatBody, validateCountTokensBody } from './validate-body.js';

describe('validateChatBody', () => {
  it('accepts a minimal OpenAI body and reads the stream flag', () => {
    expect(validateChatBody('openai', { model: 'gpt-4o', messages: [] })).toEqual({ model: 'gpt-4o', stream: false });
    expect(validateChatBody('openai', { model: 'gpt-4o', messages: [], stream: true })).toEqual({ model: 'gpt-4o', stream: true });
  });

  it('rejects bodies that are not objects', () => {
    for (const body of [undefined, null, 'x', 3, [1]]) {
      expect(failure(() => validateChatBody('openai', body)).code).toBe('INVALID_REQUEST');
    }
  });

  it('requires a non-empty string model and a messages array', () => {
    for (const model of [undefined, '', '   ', 5, null]) {
      expect(failure(() => validateChatBody('openai', { model, messages: [] })).details.param).toBe('model');
    }
    expect(failure(() => validateChatBody('openai', { model: 'm', messages: 'hi' })).details.param).toBe('messages');
  });

  it('requires a positive integer max_tokens for Anthropic only', () => {
    expect(validateChatBody('openai', { model: 'm', messages: [] }).model).toBe('m');
    for (const max_tokens of [undefined, 0, -1, 1.5, '10']) {
      expect(failure(() => validateChatBody('anthropic', { model: 'm', messages: [], max_tokens })).details.param).toBe('max_tokens');
    }
    expect(validateChatBody('anthropic', { model: 'm', messages: [], max_tokens: 10 }).model).toBe('m');
  });

  it('rejects a stream flag that is not a boolean', () => {
    expect(failure(() => validateChatBody('openai', { model: 'm', messages: [], stream: 'yes' })).details.param).toBe('stream');
  });

  it('checks count_tokens bodies like Messages bodies, without max_tokens', () => {
    expect(validateCountTokensBody({ model: 'claude-sonnet-4', messages: [] })).toEqual({ model: 'claude-sonnet-4' });
    expect(failure(() => validateCountTokensBody({ messages: [] })).details.param).toBe('model');
    expect(failure(() => validateCountTokensBody({ model: 'm' })).details.param).toBe('messages');
    expect(failure(() => validateCountTokensBody('x')).code).toBe('INVALID_REQUEST');
  });
});
