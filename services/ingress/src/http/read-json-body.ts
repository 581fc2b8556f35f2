import express, { type Request, type Response } from 'express';
import { bodyParserError } from '../protocol/body-parser-error.js';

/** A parsed JSON body and the exact bytes it came from. */
export interface JsonBody {
  value: unknown;
  raw: Buffer;
}

export type JsonBodyReader = (req: Request, res: Response) => Promise<JsonBody>;

const RAW = Symbol('rawBody');
const EMPTY = Buffer.alloc(0);
type WithRaw = Request & { [RAW]?: Buffer };

/**
 * One body parse per request (express.json, whatever the Content-Type, up to `limit`), keeping the raw bytes
 * so they travel on without being serialised again. Failures come back as AppErrors for the route to render.
 */
export function jsonBodyReader(limit: string): JsonBodyReader {
  const parse = express.json({
    limit,
    type: () => true,
    verify: (req, _res, buffer) => {
      (req as WithRaw)[RAW] = buffer;
    },
  });
  return (req, res) =>
    new Promise<JsonBody>((resolve, reject) => {
      parse(req, res, (error?: unknown) => {
        if (error) reject(bodyParserError(error));
        else resolve({ value: req.body as unknown, raw: (req as WithRaw)[RAW] ?? EMPTY });
      });
    });
}
