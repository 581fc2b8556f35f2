import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProxyAgent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUpstreamEmulator, type UpstreamEmulator } from '../upstream/upstream-emulator.js';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js';

let upstream: UpstreamEmulator;
let open: ForwardProxy;
let guarded: ForwardProxy;
beforeAll(async () => {
  upstream = await startUpstreamEmulator();
  open = await startForwardProxy({ name: 'proxy-open' });
  guarded = await startForwardProxy({ name: 'proxy-guarded', username: 'u', password: 'p@ss' });
});
afterAll(async () => {
  await Promise.all([upstream.close(), open.close(), guarded.close()]);
});
beforeEach(() => {
  upstream.clearRequests();
  open.reset();
  guarded.reset();
});

const chatBody = (text: string, stream = false): string =>
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: text }], stream });

/** One absolute-form request to a proxy with node:http; collects the body and when its first byte came. */
function viaProxy(
  proxyUrl: string,
  opts: { body?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<{ status: number; text: string; firstByteAt: number; endAt: number }> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: proxy.hostname,
        port: proxy.port,
        method: opts.method ?? 'POST',
        path: `${upstream.url}/v1/chat/completions`,
        headers: { authorization: 'Bearer sk-proxied', ...opts.headers },
      },
      (res) => {
        let text = '';
        let firstByteAt = 0;
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          firstByteAt ||= Date.now();
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, firstByteAt, endAt: Date.now() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body ?? chatBody('hi'));
  });
}

describe('forward proxy', () => {
  it('forwards absolute-form requests, marks and counts them', async () => {
    const res = await viaProxy(open.url);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).choices[0].message.content).toBe('Hello from gpt-4o: hi');
    expect(upstream.requests()[0]).toMatchObject({ viaProxy: 'proxy-open', credential: 'sk-proxied' });
    expect(open.stats()).toEqual({ requests: 1, tunnels: 0, byCredential: { 'sk-proxied': 1 } });
    const stats = await (await fetch(`${open.url}/_emu/stats`)).json();
    expect(stats).toEqual(open.stats());
  });

  it('counts x-api-key and x-goog-api-key credentials', async () => {
    await viaProxy(open.url, { headers: { authorization: '', 'x-api-key': 'ant-key' } });
    await viaProxy(open.url, { headers: { authorization: '', 'x-goog-api-key': 'goog-key' } });
    expect(open.stats().byCredential).toEqual({ 'ant-key': 1, 'goog-key': 1 });
  });

  it('streams SSE through without buffering', async () => {
    const res = await viaProxy(open.url, { body: chatBody('[emu chunks=4 chunk_delay_ms=40]', true) });
    expect(res.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(res.endAt - res.firstByteAt).toBeGreaterThanOrEqual(150);
  });

  it('passes a broken upstream body on as a broken body', async () => {
    await expect(viaProxy(open.url, { body: chatBody('[emu die_after_bytes=50 chunk_delay_ms=1]', true) })).rejects.toThrow();
  });

  it('rejects missing or wrong proxy credentials with 407', async () => {
    const none = await viaProxy(guarded.url.replace('u:p%40ss@', ''));
    expect(none.status).toBe(407);
    const wrong = await viaProxy(guarded.url, { headers: { 'proxy-authorization': `Basic ${Buffer.from('u:nope').toString('base64')}` } });
    expect(wrong.status).toBe(407);
    const right = await viaProxy(guarded.url, { headers: { 'proxy-authorization': `Basic ${Buffer.from('u:p@ss').toString('base64')}` } });
    expect(right.status).toBe(200);
    expect(guarded.stats().requests).toBe(1);
  });

  it('carries undici ProxyAgent requests with proxyTunnel: false (absolute-form)', async () => {
    const agent = new ProxyAgent({ uri: guarded.url, proxyTunnel: false });
    try {
      const res = await undiciFetch(`${upstream.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-undici' },
        body: chatBody('via undici', true),
        dispatcher: agent,
      });
      expect(res.status).toBe(200);
      expect((await res.text()).trimEnd().endsWith('data: [DONE]')).toBe(true);
    } finally {
      await agent.close();
    }
    expect(guarded.stats()).toMatchObject({ requests: 1, tunnels: 0, byCredential: { 'sk-undici': 1 } });
    expect(upstream.requests()[0]).toMatchObject({ viaProxy: 'proxy-guarded', credential: 'sk-undici', stream: true });
  });

  it('tunnels CONNECT (undici default) and rejects a CONNECT without credentials', async () => {
    const agent = new ProxyAgent({ uri: guarded.url });
    try {
      const res = await undiciFetch(`${upstream.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-tunnel' },
        body: chatBody('tunnelled'),
        dispatcher: agent,
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).choices[0].message.content).toBe('Hello from gpt-4o: tunnelled');
    } finally {
      await agent.close();
    }
    expect(guarded.stats()).toMatchObject({ requests: 0, tunnels: 1 });
    // A tunnel is opaque: the upstream sees no proxy mark.
    expect(upstream.requests()[0]?.viaProxy).toBeUndefined();

    const status = await new Promise<number>((resolve, reject) => {
      const proxy = new URL(guarded.url);
      const req = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: new URL(upstream.url).host });
      req.on('connect', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(407);
  });

  it('aborts the upstream request when the client goes away', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const slow = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      const timer = setInterval(() => res.write('data: more\n\n'), 20);
      res.on('close', () => {
        clearInterval(timer);
        upstreamClosed();
      });
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const target = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/stream`;
      const proxy = new URL(open.url);
      await new Promise<void>((resolve, reject) => {
        const req = http.request({ host: proxy.hostname, port: proxy.port, path: target }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
        req.on('close', () => resolve());
        setTimeout(() => reject(new Error('no data')), 2000).unref();
        req.end();
      });
      await closed;
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});
