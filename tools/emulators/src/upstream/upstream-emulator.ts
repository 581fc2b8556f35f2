import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { closeServer, listen, tuneForKeepAlive } from '../http/server-lifecycle.js';
import { anthropicFormat } from './anthropic-format.js';
import { antigravityFormat } from './antigravity-format.js';
import { writeEventStream, writeWholeBody } from './body-writer.js';
import { isCodeAssistSetupPath, newCodeAssistState, serveCodeAssistSetup } from './code-assist-routes.js';
import { handleControl } from './control-routes.js';
import { COUNT_ENDPOINTS, type CountEndpoint } from './count-endpoints.js';
import { embeddingsEndpoint, serveEmbeddings } from './embeddings-routes.js';
import { geminiFormat } from './gemini-format.js';
import { renderGoogleQuotaError } from './google-error.js';
import { openAiFormat } from './openai-format.js';
import { openAiResponsesFormat } from './openai-responses-format.js';
import { modelListEndpoint, serveModelList } from './model-list-routes.js';
import { codexFormat } from './codex-format.js';
import { buildReply, type ChatRequest, type Reply } from './reply.js';
import { InvalidSchemaError } from './structured-answer.js';
import { notableHeaders, RequestLog, type RecordedRequest } from './request-log.js';
import { PromptCache, promptPrefixes } from './prompt-cache.js';
import { ScriptBook, type ScriptRule } from './script-rules.js';
import { mergeSteering, parseDirective, steeringFromHeaders, type Steering } from './steering.js';
import { isParseFailure, type ParseFailure, type RouteMatch, type WireFormat } from './wire-format.js';

// An upstream LLM provider on loopback: real HTTP, real wire formats, deterministic answers, steerable
// failures. It is the baseline of the benchmark, so the hot path does only what it must: read the body,
// one JSON.parse, one render, no logging, O(1) recording.

/** Every wire format served; a new format is one file and one entry here. */
const FORMATS: readonly WireFormat[] = [openAiFormat, openAiResponsesFormat, codexFormat, anthropicFormat, geminiFormat, antigravityFormat];

const BODY_LIMIT = 32 * 1024 * 1024;

/** Whether the request's credential is an OAuth bearer token (checked by validateBearer), not an API key. */
function isOAuthBearer(format: WireFormat, req: IncomingMessage): boolean {
  return (format.credentialKindOf?.(req.headers) ?? format.credentialKind) === 'oauth-bearer';
}

export interface UpstreamEmulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Checks OAuth bearer tokens (antigravity, Codex, Anthropic bearers); a rejected token gets 401. API-key formats are not checked. */
  validateBearer?: (token: string) => boolean;
  /** Steering for every request, below scripts, directives and headers (e.g. `{ delayMs: 350 }`). */
  defaults?: Steering;
  /** How many recent requests are kept (ring buffer); default 100,000. */
  recordLimit?: number;
  /**
   * Answer like a provider's prompt cache: a conversation prefix the same credential sent within 5 minutes is
   * reported as cached input tokens. Off by default, so that usage stays exactly predictable.
   */
  promptCache?: boolean;
}

export interface UpstreamEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Recorded requests, oldest first. */
  requests(): RecordedRequest[];
  clearRequests(): void;
  /** Adds a scripted rule (first match wins; expires after `times` uses when given). */
  script(rule: ScriptRule): void;
  clearScripts(): void;
}

/** Starts the upstream emulator (OpenAI Chat Completions, Anthropic Messages, Gemini, Cloud Code Assist, embeddings) over HTTP. */
export async function startUpstreamEmulator(opts: UpstreamEmulatorOptions = {}): Promise<UpstreamEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const log = new RequestLog(opts.recordLimit);
  const scripts = new ScriptBook();
  const defaults = opts.defaults;
  const validateBearer = opts.validateBearer;
  const promptCache = opts.promptCache === true ? new PromptCache() : undefined;
  const idPrefix = randomBytes(4).toString('hex');
  const codeAssist = newCodeAssistState();
  let sequence = 0;

  async function serveChat(
    format: WireFormat,
    route: RouteMatch,
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    query: string,
  ): Promise<void> {
    const at = Date.now();
    const method = req.method ?? 'POST';
    const credential = format.credential(req.headers, query);
    const viaProxy = req.headers['x-emu-via-proxy'];
    const record = (model: string, stream: boolean, status: number, chat?: ChatRequest): void => {
      const entry: RecordedRequest = { at, method, path: pathname, format: format.name, model, credential, stream, status };
      if (typeof viaProxy === 'string') entry.viaProxy = viaProxy;
      const headers = notableHeaders(req.headers);
      if (headers !== undefined) entry.headers = headers;
      if (chat?.responseFormat !== undefined) entry.responseFormat = chat.responseFormat;
      log.add(entry);
    };
    const fail = (status: number, model: string, stream: boolean, message?: string, failure?: ParseFailure): void => {
      record(model, stream, status);
      writeWholeBody(res, status, { 'content-type': 'application/json; charset=utf-8' }, format.renderError(status, message, failure), {});
    };

    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, BODY_LIMIT)).toString('utf8'));
    } catch (err) {
      if (err instanceof BodyTooLargeError) return fail(413, '', route.stream === true);
      return fail(400, '', route.stream === true, 'Invalid JSON payload received.');
    }
    const chat = format.parse(body, route);
    if (isParseFailure(chat)) {
      const model = route.pathModel ?? (body as { model?: unknown } | null)?.model;
      return fail(chat.status ?? 400, typeof model === 'string' ? model : '', route.stream === true, chat.error, chat);
    }
    const headerError = format.headerError?.(req.headers);
    if (headerError !== undefined) return fail(400, chat.model, chat.stream, headerError);
    if (credential === '') return fail(401, chat.model, chat.stream);
    const authError = format.authError?.(req.headers);
    if (authError !== undefined) return fail(401, chat.model, chat.stream, authError);
    if (isOAuthBearer(format, req) && validateBearer !== undefined && !validateBearer(credential)) {
      return fail(401, chat.model, chat.stream);
    }

    let reply: Reply;
    try {
      reply = buildReply(chat);
    } catch (error) {
      // A schema the model could not keep to (unsatisfiable, an unresolvable $ref): the provider's 400.
      if (error instanceof InvalidSchemaError) return fail(400, chat.model, chat.stream, error.message);
      throw error;
    }

    const steering = mergeSteering(
      defaults,
      scripts.take({ credential, model: chat.model, path: pathname }),
      parseDirective(chat.lastUserText),
      steeringFromHeaders(req.headers),
    );
    const quotaReset = steering.quotaResetSeconds;
    const status = steering.status ?? (quotaReset === undefined ? 200 : 429);
    record(chat.model, chat.stream, status, chat);

    if (steering.delayMs !== undefined && steering.delayMs > 0) {
      await sleep(steering.delayMs);
      if (res.destroyed) return;
    }
    const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8' };
    if (steering.retryAfterSeconds !== undefined) headers['retry-after'] = String(steering.retryAfterSeconds);
    const googleQuota = quotaReset !== undefined && (format.name === 'gemini' || format.name === 'antigravity');
    if (quotaReset !== undefined && !googleQuota) headers['retry-after'] ??= String(quotaReset);
    const faults = {
      ...(steering.dieAfterBytes === undefined ? {} : { dieAfterBytes: steering.dieAfterBytes }),
      ...(steering.chunkDelayMs === undefined ? {} : { chunkDelayMs: steering.chunkDelayMs }),
      ...(steering.pauseMs === undefined ? {} : { pauseMs: steering.pauseMs, pauseAfterEvents: steering.pauseAfterEvents ?? 0 }),
    };
    if (status < 200 || status > 299) {
      const errorBody = googleQuota ? renderGoogleQuotaError(quotaReset, chat.model) : format.renderError(status);
      writeWholeBody(res, status, headers, errorBody, faults);
      return;
    }
    if (promptCache !== undefined) {
      const cached = Math.min(promptCache.read(credential, promptPrefixes(format.name, body)), reply.inputTokens);
      if (cached > 0) {
        reply.inputTokens -= cached;
        reply.cachedTokens = (reply.cachedTokens ?? 0) + cached;
      }
    }
    const ctx = { id: `${idPrefix}${(++sequence).toString(36)}`, created: Math.floor(at / 1000) };
    if (!chat.stream) {
      writeWholeBody(res, status, headers, format.renderJson(reply, chat, ctx), faults);
      return;
    }
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    let events = format.renderStream(reply, chat, ctx, steering.chunks);
    if (steering.streamErrorStatus !== undefined) {
      // The provider failed mid-answer: half the events, then its in-stream error, then a clean end.
      const kept = events.slice(0, Math.ceil(events.length / 2));
      events = [...kept, format.renderStreamError(steering.streamErrorStatus, { req: chat, ctx, sent: kept.length })];
    }
    await writeEventStream(res, status, headers, events, faults);
  }

  /** A token count: authenticated, steered and recorded like a chat request of the same format. */
  async function serveCount(endpoint: CountEndpoint, pathModel: string, req: IncomingMessage, res: ServerResponse, pathname: string, query: string): Promise<void> {
    const { format } = endpoint;
    const credential = format.credential(req.headers, query);
    const entry: RecordedRequest = { at: Date.now(), method: req.method ?? 'POST', path: pathname, format: format.name, model: pathModel, credential, stream: false, status: 0 };
    const viaProxy = req.headers['x-emu-via-proxy'];
    if (typeof viaProxy === 'string') entry.viaProxy = viaProxy;
    const headers = notableHeaders(req.headers);
    if (headers !== undefined) entry.headers = headers;
    const answer = (status: number, body: string, extra: Record<string, string> = {}): void => {
      entry.status = status;
      log.add(entry);
      writeWholeBody(res, status, { 'content-type': 'application/json; charset=utf-8', ...extra }, body, {});
    };
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, BODY_LIMIT)).toString('utf8'));
    } catch (err) {
      return err instanceof BodyTooLargeError ? answer(413, format.renderError(413)) : answer(400, format.renderError(400, 'Invalid JSON payload received.'));
    }
    const chat = endpoint.parse(body, pathModel);
    if (!isParseFailure(chat)) entry.model = chat.model;
    const headerError = format.headerError?.(req.headers);
    if (headerError !== undefined) return answer(400, format.renderError(400, headerError));
    const authError = format.authError?.(req.headers);
    if (authError !== undefined) return answer(401, format.renderError(401, authError));
    if (credential === '' || (isOAuthBearer(format, req) && validateBearer !== undefined && !validateBearer(credential))) {
      return answer(401, format.renderError(401));
    }
    if (isParseFailure(chat)) return answer(400, format.renderError(400, chat.error));
    const steering = mergeSteering(defaults, scripts.take({ credential, model: chat.model, path: pathname }), steeringFromHeaders(req.headers));
    const status = steering.status ?? 200;
    if (status < 200 || status > 299) {
      return answer(status, format.renderError(status), steering.retryAfterSeconds === undefined ? {} : { 'retry-after': String(steering.retryAfterSeconds) });
    }
    answer(200, endpoint.render(chat.inputTokens));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    if (pathname.startsWith('/_emu/')) return handleControl(req, res, pathname, log, scripts);
    const method = req.method ?? 'GET';
    const query = q < 0 ? '' : url.slice(q + 1);
    if (isCodeAssistSetupPath(method, pathname)) return serveCodeAssistSetup(codeAssist, log, validateBearer, req, res, pathname);
    const list = modelListEndpoint(method, pathname, req.headers);
    if (list !== undefined) return serveModelList(list, { log, scripts, defaults, validateBearer }, req, res, pathname, query);
    // Only count paths end so; the benchmark's chat requests skip the three matches.
    if (pathname.endsWith('ountTokens') || pathname.endsWith('count_tokens')) {
      for (const endpoint of COUNT_ENDPOINTS) {
        const count = endpoint.match(method, pathname);
        if (count !== undefined) return serveCount(endpoint, count.pathModel, req, res, pathname, query);
      }
    }
    // Only embeddings paths end so (…/embeddings, :embedContent, :batchEmbedContents).
    if (pathname.endsWith('mbeddings') || pathname.endsWith('mbedContent') || pathname.endsWith('mbedContents')) {
      const embeddings = embeddingsEndpoint(method, pathname);
      if (embeddings !== undefined) return serveEmbeddings(embeddings, { log, scripts, defaults }, req, res, pathname, query);
    }
    for (const format of FORMATS) {
      const route = format.match(method, pathname, query);
      if (route !== undefined) return serveChat(format, route, req, res, pathname, query);
    }
    req.resume();
    const body = JSON.stringify({ error: { code: 404, message: `No route for ${method} ${pathname}` } });
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  const server = createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch(() => {
      // Only reachable on a bug; answer rather than leave the client hanging.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"emulator failure"}}');
      } else {
        res.destroy();
      }
    });
  });
  tuneForKeepAlive(server);
  const port = await listen(server, host, opts.port ?? 0);

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => closeServer(server),
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    script: (rule) => scripts.add(rule),
    clearScripts: () => scripts.clear(),
  };
}
