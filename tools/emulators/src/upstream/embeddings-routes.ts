import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { writeWholeBody } from './body-writer.js';
import { geminiEmbeddings } from './gemini-embeddings.js';
import { geminiFormat } from './gemini-format.js';
import { openAiEmbeddings, type EmbeddingsOutcome } from './openai-embeddings.js';
import { openAiFormat } from './openai-format.js';
import { notableHeaders, type RecordedRequest, type RequestLog } from './request-log.js';
import type { ScriptBook } from './script-rules.js';
import { mergeSteering, steeringFromHeaders, type Steering } from './steering.js';
import type { WireFormat } from './wire-format.js';

// The embeddings endpoints: authenticated with their format's credential, answered in its error shape,
// steered by scripts, headers and defaults, and recorded like chat requests.

const BODY_LIMIT = 32 * 1024 * 1024;
const GEMINI_EMBED = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(embedContent|batchEmbedContents)$/;

/** One embeddings request's endpoint: its format and how it answers a body. */
export interface EmbeddingsEndpoint {
  format: WireFormat;
  answer(body: unknown): EmbeddingsOutcome;
}

/** The embeddings endpoint of a request, or undefined when it is none. */
export function embeddingsEndpoint(method: string, pathname: string): EmbeddingsEndpoint | undefined {
  if (method !== 'POST') return undefined;
  if (pathname === '/v1/embeddings') return { format: openAiFormat, answer: openAiEmbeddings };
  const m = GEMINI_EMBED.exec(pathname);
  if (m === null) return undefined;
  let model: string;
  try {
    model = decodeURIComponent(m[1] ?? '');
  } catch {
    return undefined;
  }
  const batch = m[2] === 'batchEmbedContents';
  return { format: geminiFormat, answer: (body) => geminiEmbeddings(body, model, batch) };
}

export interface EmbeddingsDeps {
  log: RequestLog;
  scripts: ScriptBook;
  defaults: Steering | undefined;
}

/** Answers one embeddings request. */
export async function serveEmbeddings(
  endpoint: EmbeddingsEndpoint,
  deps: EmbeddingsDeps,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  query: string,
): Promise<void> {
  const { format } = endpoint;
  const credential = format.credential(req.headers, query);
  const entry: RecordedRequest = { at: Date.now(), method: req.method ?? 'POST', path: pathname, format: format.name, model: '', credential, stream: false, status: 0 };
  const viaProxy = req.headers['x-emu-via-proxy'];
  if (typeof viaProxy === 'string') entry.viaProxy = viaProxy;
  const headers = notableHeaders(req.headers);
  if (headers !== undefined) entry.headers = headers;
  const reply = (status: number, body: string, extra: Record<string, string> = {}): void => {
    entry.status = status;
    deps.log.add(entry);
    writeWholeBody(res, status, { 'content-type': 'application/json; charset=utf-8', ...extra }, body, {});
  };
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req, BODY_LIMIT)).toString('utf8'));
  } catch (err) {
    return err instanceof BodyTooLargeError ? reply(413, format.renderError(413)) : reply(400, format.renderError(400, 'Invalid JSON payload received.'));
  }
  if (credential === '') return reply(401, format.renderError(401));
  const outcome = endpoint.answer(body);
  entry.model = outcome.model;
  if (!('body' in outcome)) return reply(outcome.status, format.renderError(outcome.status, outcome.message));
  const steering = mergeSteering(deps.defaults, deps.scripts.take({ credential, model: outcome.model, path: pathname }), steeringFromHeaders(req.headers));
  if (steering.delayMs !== undefined && steering.delayMs > 0) {
    await sleep(steering.delayMs);
    if (res.destroyed) return;
  }
  const status = steering.status ?? 200;
  if (status < 200 || status > 299) {
    return reply(status, format.renderError(status), steering.retryAfterSeconds === undefined ? {} : { 'retry-after': String(steering.retryAfterSeconds) });
  }
  reply(200, outcome.body);
}
