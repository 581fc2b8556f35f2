import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@aigw/logger';
import { Registry } from '@aigw/metrics';
import { createIngressMetrics } from '../observability/ingress-metrics.js';
import { withHotRoutes } from './hot-routes.js';
import { requestIdOf } from './request-context.js';

const logger = createLogger({ service: 'hot-routes-test', level: 'silent' });

function listener(hot: (path: string) => Promise<void> = async () => undefined) {
  const metrics = createIngressMetrics(new Registry());
  const seen: string[] = [];
  const app = (_req: unknown, res: import('node:http').ServerResponse) => {
    seen.push('app');
    res.writeHead(404).end('from app');
  };
  const routes = new Map([
    [
      '/v1/chat/completions',
      async (_req: unknown, res: import('node:http').ServerResponse) => {
        seen.push('hot');
        await hot('/v1/chat/completions');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: requestIdOf(res) }));
      },
    ],
  ]);
  return { handle: withHotRoutes(app, routes, metrics, logger), seen, metrics };
}

describe('withHotRoutes', () => {
  it('serves a POST to a hot path itself, query string and all, with a request id and metrics', async () => {
    const { handle, seen, metrics } = listener();
    const res = await request(handle).post('/v1/chat/completions?x=1').set('x-request-id', 'req-1').send({});
    // The handler sees the gateway's own id, the one answered; the client's id is only echoed beside it.
    expect([res.status, res.body.id, res.headers['x-client-request-id'], seen]).toEqual([200, res.headers['x-request-id'], 'req-1', ['hot']]);
    expect(res.body.id).not.toBe('req-1');
    await expect.poll(async () => metrics.registry.metrics()).toMatch(/aigw_http_requests_total\{route="\/v1\/chat\/completions",status="200"\} 1/);
  });

  it('hands every other request to the app', async () => {
    const { handle, seen } = listener();
    await request(handle).get('/v1/chat/completions');
    await request(handle).post('/v1/chat/completions/').send({});
    await request(handle).post('/v1/models').send({});
    expect(seen).toEqual(['app', 'app', 'app']);
  });

  it('answers a handler that throws with a JSON 500, never a hang', async () => {
    const { handle } = listener(async () => {
      throw new Error('boom');
    });
    const res = await request(handle).post('/v1/chat/completions').send({});
    expect(res.status).toBe(500);
    expect(res.body.error.type).toBe('server_error');
  });
});
