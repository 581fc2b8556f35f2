import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { toAppError } from '@aigw/errors';
import { BodyBudget } from './body-budget.js';
import { jsonBodyReader, parseBodyJson } from './read-json-body.js';

/** An app that echoes what the reader made of the body: the parsed value and the raw bytes, or the error code. */
function echo(limit = '1kb') {
  const read = jsonBodyReader(limit);
  const app = express();
  app.post('/', (req, res) => {
    read(req, res).then(
      (body) => res.json({ value: body.value, raw: body.raw.toString('utf8') }),
      (error: unknown) => res.status(400).json({ code: toAppError(error).code, message: toAppError(error).message }),
    );
  });
  return app;
}

/** POSTs the pieces with chunked encoding (no Content-Length) and returns the response text. */
async function sendChunked(app: express.Express, pieces: string[]): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const req = http.request({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', method: 'POST', path: '/' });
    for (const piece of pieces) req.write(piece);
    req.end();
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    let text = '';
    for await (const chunk of res) text += String(chunk);
    return text;
  } finally {
    server.close();
  }
}

describe('jsonBodyReader', () => {
  it('parses a JSON body whatever its Content-Type and keeps the exact bytes', async () => {
    const text = '{ "model" : "m",\n "messages": [] }';
    const res = await request(echo()).post('/').set('content-type', 'text/plain').send(text);
    expect(res.body).toEqual({ value: { model: 'm', messages: [] }, raw: text });
  });

  it('takes an explicit UTF-8 charset and a byte-order mark', async () => {
    const res = await request(echo()).post('/').set('content-type', 'application/json; charset=UTF-8').send('\uFEFF{"a":"é"}');
    expect(res.body.value).toEqual({ a: 'é' });
  });

  it('reads gzip bodies and other charsets through express.json', async () => {
    // octet-stream, so that supertest sends the bytes as they are (a JSON type would make it serialise the Buffer).
    const res = await request(echo())
      .post('/')
      .set('content-type', 'application/octet-stream')
      .set('content-encoding', 'gzip')
      .send(gzipSync(Buffer.from('{"a":1}')));
    expect(res.body).toEqual({ value: { a: 1 }, raw: '{"a":1}' });
    const latin = await request(echo()).post('/').set('content-type', 'application/json; charset=utf-16').send('{}');
    expect(latin.body.code).toBe('INVALID_REQUEST');
  });

  it('fails with PAYLOAD_TOO_LARGE past the limit, declared or streamed', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(2000) });
    expect((await request(echo()).post('/').send(big)).body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await sendChunked(echo(), [big.slice(0, 800), big.slice(800)])).toContain('PAYLOAD_TOO_LARGE');
  });
});

/**
 * A server whose requests keep their bodies until `release()` answers them all, so that bytes stay held;
 * failures answer at once with the error's status, code and Retry-After.
 */
async function holdingServer(budget: BodyBudget, limit = '1kb') {
  const read = jsonBodyReader(limit, budget);
  const waiting: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    read(req, res).then(
      () => waiting.push(() => res.end('ok')),
      (error: unknown) => {
        const e = toAppError(error);
        res.writeHead(e.httpStatus, e.retryAfterMs === undefined ? {} : { 'retry-after': String(e.retryAfterMs / 1000) }).end(e.code);
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    port,
    post: (body: string) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
    release: () => waiting.splice(0).forEach((answer) => answer()),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('jsonBodyReader with a body budget', () => {
  const body = JSON.stringify({ text: 'x'.repeat(590) });
  const size = Buffer.byteLength(body);

  it('refuses a body that does not fit while others are held (503, Retry-After), and takes it once they are answered', async () => {
    const budget = new BodyBudget(1000);
    const server = await holdingServer(budget);
    try {
      const first = server.post(body);
      await until(() => budget.used === size);
      const refused = await server.post(body);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.text()).toBe('UNAVAILABLE');
      expect(budget.used).toBe(size);

      server.release();
      expect(await (await first).text()).toBe('ok');
      await until(() => budget.used === 0);
      const again = server.post(body);
      await until(() => budget.used === size);
      server.release();
      expect((await again).status).toBe(200);
      await until(() => budget.used === 0);
    } finally {
      await server.close();
    }
  });

  it('gives back what failed bodies took: invalid JSON, too large, over budget mid-stream, aborted', async () => {
    const budget = new BodyBudget(1000);
    const server = await holdingServer(budget, '2kb');
    try {
      expect((await server.post('{"broken":')).status).toBe(400);
      expect((await server.post(JSON.stringify({ text: 'x'.repeat(3000) }))).status).toBe(413);
      await until(() => budget.used === 0);

      // Chunked (no Content-Length): taken piece by piece, refused once past the budget.
      const chunked = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/' });
      chunked.write(`{"text":"${'x'.repeat(600)}`);
      await until(() => budget.used > 600);
      chunked.end(`${'x'.repeat(600)}"}`);
      const [refused] = (await once(chunked, 'response')) as [http.IncomingMessage];
      expect(refused.statusCode).toBe(503);
      refused.resume();
      await until(() => budget.used === 0);

      // A client that leaves halfway: its declared length is given back when the connection closes.
      const aborted = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/', headers: { 'content-length': '900' } });
      aborted.on('error', () => undefined);
      aborted.write('{"text":"' + 'x'.repeat(300));
      await until(() => budget.used === 900);
      aborted.destroy();
      await until(() => budget.used === 0);
    } finally {
      await server.close();
    }
  });
});

describe('parseBodyJson', () => {
  it('accepts objects and arrays, reads an empty body as {}, refuses anything else like express.json', () => {
    expect(parseBodyJson(Buffer.from('[1]'))).toEqual([1]);
    expect(parseBodyJson(Buffer.alloc(0))).toEqual({});
    for (const text of ['"abc"', '12', 'nope', '{"a":', '  ']) {
      expect(() => parseBodyJson(Buffer.from(text)), text).toThrow('request body is not valid JSON');
    }
  });
});
