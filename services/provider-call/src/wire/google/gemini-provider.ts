import { randomBytes } from 'node:crypto';
import { geminiEmbeddings } from '../../embeddings/gemini-embeddings.js';
import type { PassthroughFactory, ProviderAdapter } from '../../adapters/provider-adapter.js';
import { upstreamHeaders } from '../../adapters/upstream-headers.js';
import { assertJsonDepth, objectBody } from '@aigw/formats';
import { geminiModelListing } from './gemini-models.js';
import { irToGeminiRequest } from './gemini-request.js';
import { geminiResponseToIr } from './gemini-response.js';
import { GeminiStreamDecoder } from './gemini-stream-decoder.js';
import { geminiModelUrl } from './gemini-upstream.js';
import { decodeGoogleError } from './google-errors.js';
import { googlePassthroughExchange } from './google-passthrough.js';

/** Gemini leaves most function calls without an id; clients need one to pair the result. */
export function newToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

const geminiPassthrough: PassthroughFactory = {
  format: 'gemini',
  createExchange(body, target, stream, ctx) {
    // The body passed its format's rules at ingress; the upstream judges the rest. Only the depth is
    // checked again: it guards this service's own recursion (JSON.stringify), not a rule of the format.
    assertJsonDepth(objectBody(body));
    const request = { url: geminiModelUrl(target, stream), headers: upstreamHeaders(target, stream), body: JSON.stringify(body) };
    return googlePassthroughExchange(request, undefined, ctx.framing);
  },
};

/** The Gemini API (Google AI Studio): POST …/v1beta/models/{model}:generateContent with x-goog-api-key from auth. */
export const geminiProvider: ProviderAdapter = {
  format: 'gemini',
  buildRequest(ir, target) {
    const { request, dropped } = irToGeminiRequest(ir, target.model);
    return { request: { url: geminiModelUrl(target, ir.stream), headers: upstreamHeaders(target, ir.stream), body: JSON.stringify(request) }, dropped };
  },
  decodeResponse: (body) => geminiResponseToIr(body, newToolCallId),
  createStreamDecoder: () => new GeminiStreamDecoder((response) => response, newToolCallId),
  decodeError: decodeGoogleError,
  passthrough: geminiPassthrough,
  listModels: geminiModelListing,
  embeddings: geminiEmbeddings,
};
