import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { holdEnd } from './held-end.js';

let server: Server | undefined;
afterEach(() => server?.close());

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('holdEnd', () => {
  it('keeps the answer from completing until released, then sends the first end as it was called', async () => {
    let release: () => void = () => undefined;
    let releasedAt = 0;
    const url = await serve((_req, res) => {
      release = holdEnd(res);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('the answer');
      res.end(); // an error path closing the response again changes nothing
      setTimeout(() => {
        releasedAt = Date.now();
        release();
      }, 100);
    });
    const answer = await fetch(url);
    const text = await answer.text();
    expect(text).toBe('the answer');
    expect(releasedAt).toBeGreaterThan(0);
    expect(Date.now()).toBeGreaterThanOrEqual(releasedAt);
  });

  it('streams chunks at once; only the end waits', async () => {
    let release: () => void = () => undefined;
    const url = await serve((_req, res) => {
      release = holdEnd(res);
      res.write('first ');
      res.end('last');
    });
    const answer = await fetch(url);
    const reader = answer.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first ');
    release();
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += Buffer.from(part.value).toString();
    expect(rest).toBe('last');
  });
});
