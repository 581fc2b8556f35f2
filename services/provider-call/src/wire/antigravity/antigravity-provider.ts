import { AppError } from '@aigw/errors';
import type { PassthroughFactory, ProviderAdapter, UpstreamTarget } from '../../adapters/provider-adapter.js';
import { joinUrl, upstreamHeaders } from '../../adapters/upstream-headers.js';
import { assertJsonDepth, objectBody } from '@aigw/formats';
import type { IrRequest } from '../../ir/chat-ir.js';
import { asRecord, type JsonRecord } from '../../ir/json-shape.js';
import { newToolCallId } from '../google/gemini-provider.js';
import { irToGeminiRequest } from '../google/gemini-request.js';
import { geminiResponseToIr } from '../google/gemini-response.js';
import { GeminiStreamDecoder } from '../google/gemini-stream-decoder.js';
import { bareModelName } from '../google/gemini-upstream.js';
import { decodeGoogleError } from '../google/google-errors.js';
import { googlePassthroughExchange } from '../google/google-passthrough.js';
import { antigravityModelListing } from './antigravity-models.js';

// Google Cloud Code Assist (what Gemini CLI and Antigravity call): the Gemini request wrapped as
// {project, model, request} and the answer wrapped as {response}. The project is per account.

export { newToolCallId } from '../google/gemini-provider.js';

function projectOf(target: UpstreamTarget): string {
  const project = target.settings.project;
  if (typeof project !== 'string' || project === '') {
    throw new AppError('UPSTREAM_ERROR', `account ${target.accountId} has no "project" in its settings`);
  }
  return project;
}

/** The Cloud Code envelope around a Gemini request. */
export function antigravityBody(ir: IrRequest, target: UpstreamTarget): { body: JsonRecord; dropped: string[] } {
  const project = projectOf(target);
  const { request, dropped } = irToGeminiRequest(ir, target.model);
  return { body: { project, model: bareModelName(target.model), request }, dropped };
}

function antigravityUrl(target: UpstreamTarget, stream: boolean): string {
  return joinUrl(target.baseUrl, stream ? '/v1internal:streamGenerateContent?alt=sse' : '/v1internal:generateContent');
}

const unwrap = (envelope: JsonRecord): JsonRecord | undefined => asRecord(envelope.response);

/** Gemini clients: their body goes inside the envelope untouched, answers come out of it. */
const antigravityPassthrough: PassthroughFactory = {
  format: 'gemini',
  createExchange(body, target, stream, ctx) {
    // The body passed its format's rules at ingress; the upstream judges the rest. Only the depth is
    // checked again: it guards this service's own recursion (JSON.stringify), not a rule of the format.
    assertJsonDepth(objectBody(body));
    const envelope = { project: projectOf(target), model: bareModelName(target.model), request: body };
    return googlePassthroughExchange({ url: antigravityUrl(target, stream), headers: upstreamHeaders(target, stream), body: JSON.stringify(envelope) }, unwrap, ctx.framing);
  },
};

export const antigravityProvider: ProviderAdapter = {
  format: 'antigravity',
  buildRequest(ir, target) {
    const { body, dropped } = antigravityBody(ir, target);
    return { request: { url: antigravityUrl(target, ir.stream), headers: upstreamHeaders(target, ir.stream), body: JSON.stringify(body) }, dropped };
  },
  decodeResponse(body) {
    const response = asRecord(body)?.response;
    if (response === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer has no "response"');
    return geminiResponseToIr(response, newToolCallId);
  },
  createStreamDecoder: () => new GeminiStreamDecoder(unwrap, newToolCallId),
  decodeError: decodeGoogleError,
  passthrough: antigravityPassthrough,
  listModels: antigravityModelListing,
};
