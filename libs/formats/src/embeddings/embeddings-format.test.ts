import { describe, expect, it } from 'vitest';
import { thrownAppError as failure } from '../../test/support/thrown-app-error.js';
import { CLIENT_FORMATS } from '../index.js';
import { embeddingInputs, MAX_EMBEDDING_INPUTS } from './embeddings-schema.js';

const { embeddings } = CLIENT_FORMATS;
const model = 'text-embedding-3-small';

describe('the embeddings request (OpenAI POST /v1/embeddings)', () => {
  it('takes every input shape OpenAI takes, never streams', () => {
    for (const input of ['hello', ['a', 'b'], [1, 2, 3], [[1, 2], [3]]]) {
      expect(embeddings.checkRequest({ model, input })).toEqual({ model, stream: false });
    }
    const full = { model, input: 'x', dimensions: 256, encoding_format: 'base64', user: 'u-1', extra: true };
    expect(embeddings.checkRequest(full)).toEqual({ model, stream: false });
    expect(embeddings.checkRequest({ model, input: 'x', dimensions: null, encoding_format: null })).toEqual({ model, stream: false });
  });

  it('refuses what OpenAI refuses, naming the field', () => {
    expect(failure(() => embeddings.checkRequest({ model })).message).toBe('input: Invalid input: expected string or array');
    expect(failure(() => embeddings.checkRequest({ model, input: '' })).details.param).toBe('input');
    expect(failure(() => embeddings.checkRequest({ model, input: ['ok', ''] })).details.param).toBe('input[1]');
    expect(failure(() => embeddings.checkRequest({ model, input: [] })).details.param).toBe('input');
    expect(failure(() => embeddings.checkRequest({ model, input: [[1], []] })).details.param).toBe('input[1]');
    expect(failure(() => embeddings.checkRequest({ model, input: [1.5] })).details.param).toBe('input[0]');
    expect(failure(() => embeddings.checkRequest({ model, input: { text: 'x' } })).details.param).toBe('input');
    const tooMany = Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, () => 'x');
    expect(failure(() => embeddings.checkRequest({ model, input: tooMany })).message).toContain('at most 2048 inputs');
    expect(embeddings.checkRequest({ model, input: tooMany.slice(1) }).model).toBe(model);
    for (const dimensions of [0, -1, 1.5, '256']) {
      expect(failure(() => embeddings.checkRequest({ model, input: 'x', dimensions })).details.param).toBe('dimensions');
    }
    expect(failure(() => embeddings.checkRequest({ model, input: 'x', encoding_format: 'int8' })).details.param).toBe('encoding_format');
    expect(failure(() => embeddings.checkRequest({ model: ' ', input: 'x' })).details.param).toBe('model');
    expect(failure(() => embeddings.checkRequest([model])).message).toBe('request body must be a JSON object');
  });

  it("answers errors in OpenAI's shape", () => {
    expect(embeddings.errorBody({ status: 400, message: 'bad', param: 'input' })).toEqual({
      error: { message: 'bad', type: 'invalid_request_error', param: 'input', code: 'invalid_request' },
    });
    expect(embeddings.errorEvent({ status: 502, message: 'x' }).data).toContain('"server_error"');
  });

  it('lists the inputs one per entry', () => {
    expect(embeddingInputs('a')).toEqual(['a']);
    expect(embeddingInputs(['a', 'b'])).toEqual(['a', 'b']);
    expect(embeddingInputs([1, 2])).toEqual([[1, 2]]);
    expect(embeddingInputs([[1], [2]])).toEqual([[1], [2]]);
  });
});
