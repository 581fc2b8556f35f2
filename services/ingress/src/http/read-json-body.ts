import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';
import { AppError } from '@aigw/errors';
import { jsonText } from '@aigw/formats';
import { bodyParserError } from '../protocol/body-parser-error.js';
import { budgetExhausted, type BodyBudget } from './body-budget.js';
import { parseByteSize } from './byte-size.js';

/** A parsed JSON body and the exact bytes it came from. */
export interface JsonBody {
  value: unknown;
  raw: Buffer;
}

export type JsonBodyReader = (req: IncomingMessage, res: ServerResponse) => Promise<JsonBody>;

const RAW = Symbol('rawBody');
const EMPTY = Buffer.alloc(0);
type WithRaw = IncomingMessage & { [RAW]?: Buffer; body?: unknown };

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', 'request body is too large');
const notJson = (cause?: unknown) => new AppError('INVALID_REQUEST', 'request body is not valid JSON', { cause });

/** True when the body is plain UTF-8 (no Content-Encoding, no other charset): the common case, read directly. */
function isPlainUtf8(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = req.headers['content-type'];
  if (type === undefined || !type.includes('charset')) return true;
  return /charset\s*=\s*"?utf-?8"?\s*(;|$)/i.test(type);
}

/**
 * Parses like express.json (strict: an object or an array; empty means `{}`), from the raw bytes, which are
 * read as a one-byte string (jsonText: a 100 KB agent turn with non-ASCII text parses in half the time).
 */
export function parseBodyJson(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  const text = jsonText(raw);
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw notJson();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw notJson(error);
  }
}

/**
 * What one request holds of the budget: a declared Content-Length is taken whole before reading, a
 * chunked body piece by piece; everything taken is given back once, when the response closes.
 */
class BodyHold {
  #taken = 0;

  constructor(
    private readonly budget: BodyBudget | undefined,
    res: ServerResponse,
  ) {
    if (budget !== undefined) res.once('close', () => budget.give(this.#taken));
  }

  /** Takes `bytes` more; false when the budget cannot hold them. */
  take(bytes: number): boolean {
    if (this.budget === undefined || bytes <= 0) return true;
    if (!this.budget.tryTake(bytes)) return false;
    this.#taken += bytes;
    return true;
  }
}

/**
 * Collects the request body, failing with PAYLOAD_TOO_LARGE past `limit` bytes, UNAVAILABLE when the body
 * budget cannot hold it, and CANCELLED when the client leaves.
 */
function collect(req: IncomingMessage, limit: number, hold: BodyHold): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge());
  const chunked = !(declared >= 0);
  if (!chunked && !hold.take(declared)) return Promise.reject(budgetExhausted());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error: AppError | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done(tooLarge());
      else if (chunked && !hold.take(chunk.length)) done(budgetExhausted());
      else chunks.push(chunk);
    };
    const onEnd = () => done(undefined);
    const onError = (error: Error) => done(new AppError('CANCELLED', 'request aborted by the client', { cause: error }));
    const onClose = () => {
      if (!req.complete) done(new AppError('CANCELLED', 'request aborted by the client'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * One body parse per request, whatever the Content-Type, up to `limit`, keeping the raw bytes so they travel
 * on without being serialised again. Plain UTF-8 bodies are read and parsed here (express.json costs several
 * times as much per request); compressed or other-charset bodies go through express.json. With a `budget`,
 * the bytes all requests hold at once are bounded (see BodyBudget). Failures come back as AppErrors for the
 * route to render.
 */
export function jsonBodyReader(limit: string, budget?: BodyBudget): JsonBodyReader {
  const limitBytes = parseByteSize(limit);
  const parse = express.json({
    limit,
    type: () => true,
    verify: (req, _res, buffer) => {
      (req as WithRaw)[RAW] = buffer;
    },
  });
  const viaExpress = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<JsonBody>((resolve, reject) => {
      // body-parser reads only what node's request has, whether or not express wrapped it.
      parse(req as Request, res as Response, (error?: unknown) => {
        if (error) reject(bodyParserError(error));
        else resolve({ value: (req as WithRaw).body, raw: (req as WithRaw)[RAW] ?? EMPTY });
      });
    });
  return async (req, res) => {
    const hold = new BodyHold(budget, res);
    if (!isPlainUtf8(req)) {
      // Compressed or transcoded: what arrives is bounded by its declared length, the inflated body by `limit`.
      if (!hold.take(Math.min(Number(req.headers['content-length']) || limitBytes, limitBytes))) throw budgetExhausted();
      return viaExpress(req, res);
    }
    const raw = await collect(req, limitBytes, hold);
    return { value: parseBodyJson(raw), raw };
  };
}
