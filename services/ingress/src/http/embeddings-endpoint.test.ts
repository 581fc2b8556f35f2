import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ClientFormat } from '@aigw/proto';
import { thrownAppError as failure } from '../../test/support/thrown-app-error.js';
import { CLIENT_FORMAT } from '../protocol/client-protocol.js';
import { errorBody } from '../protocol/error-shape.js';
import { AppError } from '@aigw/errors';
import { openaiEmbeddings } from './chat-endpoints.js';
import { protocolOfPath } from './fallback-handlers.js';

const req = {} as IncomingMessage;

describe('POST /v1/embeddings', () => {
  it('reads the model, never streams, and asks for no session affinity', () => {
    expect(openaiEmbeddings.decode(req, { model: 'text-embedding-3-small', input: ['a', 'b'] })).toEqual({ model: 'text-embedding-3-small', stream: false, framing: 'sse' });
    expect(openaiEmbeddings.decode(req, { model: 'm', input: 'a', stream: true }).stream).toBe(false);
    expect(openaiEmbeddings.affinity).toBe(false);
  });

  it('refuses a bad body as INVALID_REQUEST naming the field', () => {
    expect(failure(() => openaiEmbeddings.decode(req, { model: 'm', input: [''] })).details.param).toBe('input[0]');
    expect(failure(() => openaiEmbeddings.decode(req, { input: 'x' })).details.param).toBe('model');
  });

  it("is the embeddings format in gRPC, with OpenAI's error shape before and after routing", () => {
    expect(CLIENT_FORMAT.embeddings).toBe(ClientFormat.CLIENT_FORMAT_OPENAI_EMBEDDINGS);
    expect(protocolOfPath('/v1/embeddings')).toBe('embeddings');
    expect(errorBody('embeddings', new AppError('MODEL_NOT_FOUND', 'no route'))).toEqual({
      error: { message: 'no route', type: 'invalid_request_error', param: null, code: 'model_not_found' },
    });
  });
});
