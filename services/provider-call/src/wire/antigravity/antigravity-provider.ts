import { randomBytes } from 'node:crypto';
import { AppError } from '@aigw/errors';
import type { ProviderAdapter, UpstreamTarget } from '../../adapters/provider-adapter.js';
import { joinUrl, upstreamHeaders } from '../../adapters/upstream-headers.js';
import type { IrRequest } from '../../ir/chat-ir.js';
import { asRecord, type JsonRecord } from '../../ir/json-shape.js';
import { irToGeminiRequest } from '../google/gemini-request.js';
import { geminiResponseToIr } from '../google/gemini-response.js';
import { GeminiStreamDecoder } from '../google/gemini-stream-decoder.js';
import { decodeGoogleError } from '../google/google-errors.js';

// Google Cloud Code Assist (what Gemini CLI and Antigravity call): the Gemini request wrapped as
// {project, model, request} and the answer wrapped as {response}. The project is per account.

/** Gemini leaves most function calls without an id; clients need one to pair the result. */
export function newToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

/** The Cloud Code envelope around a Gemini request. */
export function antigravityBody(ir: IrRequest, target: UpstreamTarget): { body: JsonRecord; dropped: string[] } {
  const project = target.settings.project;
  if (typeof project !== 'string' || project === '') {
    throw new AppError('UPSTREAM_ERROR', `account ${target.accountId} has no "project" in its settings`);
  }
  const { request, dropped } = irToGeminiRequest(ir);
  return { body: { project, model: target.model, request }, dropped };
}

const unwrap = (envelope: JsonRecord): JsonRecord | undefined => asRecord(envelope.response);

export const antigravityProvider: ProviderAdapter = {
  format: 'antigravity',
  buildRequest(ir, target) {
    const { body, dropped } = antigravityBody(ir, target);
    const path = ir.stream ? '/v1internal:streamGenerateContent?alt=sse' : '/v1internal:generateContent';
    return { request: { url: joinUrl(target.baseUrl, path), headers: upstreamHeaders(target, ir.stream), body: JSON.stringify(body) }, dropped };
  },
  decodeResponse(body) {
    const response = asRecord(body)?.response;
    if (response === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer has no "response"');
    return geminiResponseToIr(response, newToolCallId);
  },
  createStreamDecoder: () => new GeminiStreamDecoder(unwrap, newToolCallId),
  decodeError: decodeGoogleError,
};
