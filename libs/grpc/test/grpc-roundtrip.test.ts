import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { createLogger } from '@aigw/logger';
import { SelectorServiceClient, SelectorServiceService, type SelectorServiceServer } from '@aigw/proto';
import { callUnary, createClient, isServing, startGrpcServer, unary, type GrpcServer } from '../src/index.js';

const logger = createLogger({ service: 'grpc-test', level: 'silent' });
let server: GrpcServer;
let client: SelectorServiceClient;
let sawDeadline = 0;

const implementation: SelectorServiceServer = {
  selectAccount: unary(logger, 'SelectAccount', async (request, ctx) => {
    sawDeadline = ctx.deadline;
    if (request.model === 'exhausted') throw new AppError('ACCOUNTS_EXHAUSTED', 'all cooling down', { retryAfterMs: 1234 });
    if (request.model === 'crash') throw new Error('secret=hunter2');
    if (request.model === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
    return { account: { id: 7, providerId: request.providerId, providerName: 'p', providerKind: 'openai', label: 'a', baseUrl: '', proxyId: 0, authType: 'api_key', settingsJson: '' }, affinity: 0 };
  }),
  reportOutcome: unary(logger, 'ReportOutcome', async () => ({ cooldownMs: 0 })),
  mux: (call) => call.end(),
};

beforeAll(async () => {
  server = await startGrpcServer('127.0.0.1:0', [{ name: 'aigw.selector.v1.SelectorService', definition: SelectorServiceService, implementation }], logger);
  client = createClient(SelectorServiceClient, `127.0.0.1:${server.port}`, 'aigw.selector.v1.SelectorService');
});
afterAll(async () => {
  client.close();
  await server.shutdown(1000);
});

describe('gRPC bootstrap and client', () => {
  it('serves a typed unary call and passes the caller deadline to the handler', async () => {
    const deadline = Date.now() + 2000;
    const response = await callUnary(client.selectAccount, client, { providerId: 3, model: 'm', excludeAccountIds: [], affinityKey: '' }, deadline);
    expect(response.account?.id).toBe(7);
    expect(Math.abs(sawDeadline - deadline)).toBeLessThan(50);
  });

  it('carries AppError code, message and retry hint across the wire', async () => {
    const call = callUnary(client.selectAccount, client, { providerId: 1, model: 'exhausted', excludeAccountIds: [], affinityKey: '' }, Date.now() + 2000);
    await expect(call).rejects.toMatchObject({ code: 'ACCOUNTS_EXHAUSTED', message: 'all cooling down', retryAfterMs: 1234 });
  });

  it('hides unexpected errors behind INTERNAL', async () => {
    const call = callUnary(client.selectAccount, client, { providerId: 1, model: 'crash', excludeAccountIds: [], affinityKey: '' }, Date.now() + 2000);
    const error = (await call.catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('INTERNAL');
    expect(error.message).not.toContain('hunter2');
  });

  it('fails with DEADLINE_EXCEEDED when the budget runs out', async () => {
    const call = callUnary(client.selectAccount, client, { providerId: 1, model: 'slow', excludeAccountIds: [], affinityKey: '' }, Date.now() + 50);
    await expect(call).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });

  it('answers grpc.health.v1 for the server and each service', async () => {
    expect(await isServing(`127.0.0.1:${server.port}`)).toBe(true);
    expect(await isServing(`127.0.0.1:${server.port}`, 'aigw.selector.v1.SelectorService')).toBe(true);
    expect(await isServing('127.0.0.1:1', '', 300)).toBe(false);
  });
});

describe('retry policy', () => {
  it('does not repeat a call whose handler raised an AppError, even when it maps to UNAVAILABLE', async () => {
    let calls = 0;
    const retryServer = await startGrpcServer(
      '127.0.0.1:0',
      [
        {
          name: 'aigw.selector.v1.SelectorService',
          definition: SelectorServiceService,
          implementation: {
            ...implementation,
            selectAccount: unary(logger, 'SelectAccount', async () => {
              calls += 1;
              throw new AppError('UPSTREAM_UNREACHABLE', 'upstream refused the connection');
            }),
          } satisfies SelectorServiceServer,
        },
      ],
      logger,
    );
    const retryClient = createClient(SelectorServiceClient, `127.0.0.1:${retryServer.port}`, 'aigw.selector.v1.SelectorService');
    try {
      const call = callUnary(retryClient.selectAccount, retryClient, { providerId: 1, model: 'm', excludeAccountIds: [], affinityKey: '' }, Date.now() + 2000);
      await expect(call).rejects.toMatchObject({ code: 'UPSTREAM_UNREACHABLE' });
      expect(calls).toBe(1);
    } finally {
      retryClient.close();
      await retryServer.shutdown(500);
    }
  });
});
