import type { RequestHandler } from 'express';
import { AppError } from '@aigw/errors';
import { parseGeminiTarget } from '@aigw/formats';
import { geminiCountTokens, geminiGenerate } from './chat-endpoints.js';
import { chatHandler, type ChatDeps } from './chat-handler.js';
import { sendClientError } from './client-responses.js';
import { countTokensHandler } from './count-tokens-handler.js';
import { pathParam } from './path-param.js';

/**
 * POST /v1beta/models/{model}:{method}. Express cannot split `{model}:{method}` inside one path segment,
 * so one wildcard route takes them all and the method picks the handler.
 */
export function geminiHandler(deps: ChatDeps): RequestHandler {
  const methods = new Map<string, RequestHandler>([
    ['generateContent', chatHandler(geminiGenerate(false), deps)],
    ['streamGenerateContent', chatHandler(geminiGenerate(true), deps)],
    ['countTokens', countTokensHandler(geminiCountTokens, deps)],
  ]);
  return (req, res, next) => {
    const { method } = parseGeminiTarget(pathParam(req, 'target'));
    const handler = methods.get(method);
    if (handler) return handler(req, res, next);
    const message = method
      ? `method \`${method}\` is not supported; use generateContent, streamGenerateContent or countTokens`
      : 'no method in the path: POST /v1beta/models/{model}:generateContent, :streamGenerateContent or :countTokens';
    sendClientError(res, 'gemini', new AppError('NOT_FOUND', message));
  };
}
