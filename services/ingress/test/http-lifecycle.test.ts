import { Agent, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, listen, type HttpTimeouts } from '../src/http/http-server.js';
import { ShutdownGate } from '../src/http/shutdown.js';
import { createServer } from '../src/server.js';
import { fakeBackends, okResponse } from './support/fake-backends.js';
import { fakeServerDeps, TEST_KEY } from './support/fake-deps.js';

const LONG = { headersTimeoutMs: 30_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000 } satisfies HttpTimeouts;
const servers: Server[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** ingress's app behind the gate on a real listening server (port 0), as main.ts builds it. */
async function startIngress(timeouts: HttpTimeouts, invoke?: () => Promise<ReturnType<typeof okResponse>>) {
  const fake = fakeBackends(invoke ? { invoke } : {});
  const gate = new ShutdownGate();
  const { deps } = await fakeServerDeps({ backends: fake.backends });
  const server = await listen(createHttpServer(gate.listener(createServer({ ...deps, accepting: () => gate.accepting })), timeouts), 0, '127.0.0.1');
  servers.push(server);
  return { server, gate, calls: fake.calls, port: (server.address() as AddressInfo).port };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
}

/** One HTTP request; `agent: false` opens a fresh connection. */
function send(port: number, path: string, options: { agent: Agent | false; method?: string; body?: unknown }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        agent: options.agent,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, reusedSocket: req.reusedSocket }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Polls until `check` holds; fails after a bound far beyond what a loaded machine needs. */
async function until(check: () => boolean, what: string, boundMs = 20_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('slow clients', () => {
  it('closes connections whose headers do not complete within the headers timeout, with 408', async () => {
    // Node's own default would hold these 60 s; the test's bound (20 s) only passes if the setting applies.
    const { port } = await startIngress({ headersTimeoutMs: 500, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 30_000 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        new Promise<string>((resolve, reject) => {
          let received = '';
          const socket = connect(port, '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: ingress\r\nX-Slow: '));
          socket.setEncoding('utf8');
          socket.on('data', (chunk: string) => (received += chunk));
          socket.on('close', () => resolve(received));
          socket.on('error', reject);
          setTimeout(() => reject(new Error('slow-header connection still open after 20 s')), 20_000).unref();
        }),
      ),
    );
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // The server itself is unharmed: a complete request is answered.
    expect((await send(port, '/healthz', { agent: false })).status).toBe(200);
  });

  it('never cuts an answer that takes longer than the request timeout: that bounds receiving the request only', async () => {
    const { port, calls } = await startIngress({ headersTimeoutMs: 500, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 30_000 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return okResponse({ id: 'chatcmpl-long' });
    });
    const answer = await send(port, '/v1/chat/completions', { agent: false, method: 'POST', body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(200_000) }] } });
    expect([answer.status, JSON.parse(answer.body)]).toEqual([200, { id: 'chatcmpl-long' }]);
    expect(calls.invokes).toHaveLength(1);
  });
});

describe('SIGTERM: the shutdown main.ts runs', () => {
  it('is not ready at once, serves kept-alive and new connections through the drain, finishes in-flight work, then closes', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const ingress = await startIngress(LONG, async () => {
      await released;
      return okResponse({ id: 'chatcmpl-slow' });
    });
    const { port, server, gate, calls } = ingress;
    const kept = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await send(port, '/readyz', { agent: kept })).status).toBe(200);
      const slow = send(port, '/v1/chat/completions', {
        agent: false,
        method: 'POST',
        body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
      });
      await until(() => calls.invokes.length === 1, 'the slow request to reach the backend');

      const shutdown = gate.shutdown(server, { drainMs: 3_000, graceMs: 30_000 });
      // Not ready at once, on the connection the balancer's health checks already hold.
      const readyz = await send(port, '/readyz', { agent: kept });
      expect([readyz.status, JSON.parse(readyz.body)]).toEqual([503, { status: 'not_ready', failing: ['shutting_down'] }]);
      expect(readyz.reusedSocket).toBe(true);
      expect(readyz.headers.connection).toBe('close');
      // Still serving during the drain: a new connection is accepted and answered.
      const fresh = await send(port, '/healthz', { agent: false });
      expect([fresh.status, fresh.headers.connection]).toEqual([200, 'close']);
      expect(server.listening).toBe(true);

      // After the drain the listener closes, while the slow request is still in flight.
      await until(() => !server.listening, 'the listener to close');
      await expect(send(port, '/healthz', { agent: false })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      release();
      const answered = await slow;
      expect([answered.status, JSON.parse(answered.body)]).toEqual([200, { id: 'chatcmpl-slow' }]);
      await shutdown;
    } finally {
      release();
      kept.destroy();
    }
  });

  it('with no drain configured, stops accepting at once and still lets in-flight work finish', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const { port, server, gate, calls } = await startIngress(LONG, async () => {
      await released;
      return okResponse({ id: 'chatcmpl-slow' });
    });
    const slow = send(port, '/v1/chat/completions', { agent: false, method: 'POST', body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] } });
    await until(() => calls.invokes.length === 1, 'the slow request to reach the backend');
    const shutdown = gate.shutdown(server, { drainMs: 0, graceMs: 30_000 });
    expect(server.listening).toBe(false);
    release();
    expect((await slow).status).toBe(200);
    await shutdown;
  });
});
