import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { toAppError } from '@aigw/errors';
import { jsonBodyReader, parseJsonBytes } from './read-json-body.js';

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

describe('parseJsonBytes', () => {
  it('accepts objects and arrays, reads an empty body as {}, refuses anything else like express.json', () => {
    expect(parseJsonBytes(Buffer.from('[1]'))).toEqual([1]);
    expect(parseJsonBytes(Buffer.alloc(0))).toEqual({});
    for (const text of ['"abc"', '12', 'nope', '{"a":', '  ']) {
      expect(() => parseJsonBytes(Buffer.from(text)), text).toThrow('request body is not valid JSON');
    }
  });
});
