import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import type { RequestLog } from './request-log.js';
import { parseScriptRule, type ScriptBook, type ScriptRule } from './script-rules.js';

// The emulator's own HTTP API under /_emu/, for tests and tools running in another process
// (the gateway's end-to-end tests, the benchmark):
//   GET    /_emu/health     {"ok":true}
//   GET    /_emu/requests   recorded requests, oldest first
//   DELETE /_emu/requests   forget them
//   GET    /_emu/script     active scripted rules with their remaining uses
//   POST   /_emu/script     add one rule or an array of rules (JSON)
//   DELETE /_emu/script     remove every rule

const CONTROL_BODY_LIMIT = 1024 * 1024;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendEmpty(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

async function addRules(req: IncomingMessage, res: ServerResponse, script: ScriptBook): Promise<void> {
  let rules: ScriptRule[];
  try {
    const parsed: unknown = JSON.parse((await readBody(req, CONTROL_BODY_LIMIT)).toString('utf8'));
    rules = (Array.isArray(parsed) ? parsed : [parsed]).map(parseScriptRule);
  } catch (err) {
    const status = err instanceof BodyTooLargeError ? 413 : 400;
    sendJson(res, status, { error: err instanceof Error ? err.message : 'invalid rule' });
    return;
  }
  for (const rule of rules) script.add(rule);
  sendJson(res, 201, { added: rules.length });
}

/** Serves /_emu/* requests. */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  log: RequestLog,
  script: ScriptBook,
): Promise<void> {
  const route = `${req.method ?? ''} ${pathname}`;
  switch (route) {
    case 'GET /_emu/health':
      return sendJson(res, 200, { ok: true });
    case 'GET /_emu/requests':
      return sendJson(res, 200, log.list());
    case 'DELETE /_emu/requests':
      log.clear();
      return sendEmpty(res);
    case 'GET /_emu/script':
      return sendJson(res, 200, script.list());
    case 'POST /_emu/script':
      return addRules(req, res, script);
    case 'DELETE /_emu/script':
      script.clear();
      return sendEmpty(res);
    default:
      return sendJson(res, 404, { error: `no control route ${route}` });
  }
}
