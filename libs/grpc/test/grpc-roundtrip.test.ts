import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { createLogger } from '@aigw/logger';
import {
  AffinityOutcome,
  InvokeRequest,
  ProviderCallServiceClient,
  ProviderCallServiceService,
  SelectorServiceClient,
  SelectorServiceService,
  StreamChunk,
  type ProviderCallServiceServer,
  type SelectorServiceServer,
} from '@aigw/proto';
import { callUnary, createClient, fromServiceError, HTTP2_WINDOW_BYTES, isServing, serverStream, startGrpcServer, unary, type GrpcServer } from '../src/index.js';

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
    return { account: { id: 7, providerId: request.providerId, providerName: 'p', providerKind: 'openai', label: 'a', baseUrl: '', proxyId: 0, authType: 'api_key', settingsJson: '', providerWire: '', poolEgress: false }, affinity: AffinityOutcome.AFFINITY_OUTCOME_NONE };
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

describe('server-streaming handlers', () => {
  const request = InvokeRequest.fromPartial({ requestId: 'r', body: Buffer.alloc(100 * 1024, 0x20) });
  const failing = (written: number): ProviderCallServiceServer['invokeStream'] =>
    serverStream<InvokeRequest, StreamChunk>(logger, 'InvokeStream', async (_request, _ctx, write) => {
      for (let i = 0; i < written; i++) await write(StreamChunk.fromPartial({ data: Buffer.from(`chunk ${i}`) }));
      throw new AppError('UPSTREAM_UNREACHABLE', 'upstream refused the connection');
    });

  async function readAll(written: number): Promise<{ chunks: string[]; error: AppError; elapsedMs: number }> {
    const streamServer = await startGrpcServer(
      '127.0.0.1:0',
      [
        {
          name: 'aigw.providercall.v1.ProviderCallService',
          definition: ProviderCallServiceService,
          implementation: { invokeStream: failing(written) },
        },
      ],
      logger,
    );
    const streamClient = createClient(ProviderCallServiceClient, `127.0.0.1:${streamServer.port}`, 'aigw.providercall.v1.ProviderCallService');
    const started = Date.now();
    const chunks: string[] = [];
    try {
      const call = streamClient.invokeStream(request, { deadline: new Date(Date.now() + 20_000) });
      try {
        for await (const chunk of call) chunks.push((chunk as StreamChunk).data?.toString() ?? '');
      } catch (error) {
        return { chunks, error: fromServiceError(error), elapsedMs: Date.now() - started };
      }
      throw new Error('the stream ended without its error');
    } finally {
      streamClient.close();
      await streamServer.shutdown(500);
    }
  }

  it('ends a call that fails before its first chunk with the handler error, at once (not at the deadline)', async () => {
    const { chunks, error, elapsedMs } = await readAll(0);
    expect(chunks).toEqual([]);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', message: 'upstream refused the connection' });
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it('delivers the chunks written before a failure, then the error', async () => {
    const { chunks, error } = await readAll(3);
    expect(chunks).toEqual(['chunk 0', 'chunk 1', 'chunk 2']);
    expect(error.code).toBe('UPSTREAM_UNREACHABLE');
  });
});

describe('HTTP/2 windows', () => {
  it('lets a caller send a large message in one flight: the server advertises a wide stream and connection window', async () => {
    const { connect } = await import('node:http2');
    const session = connect(`http://127.0.0.1:${server.port}`);
    try {
      await new Promise<void>((resolve, reject) => {
        session.once('remoteSettings', () => resolve());
        session.once('error', reject);
      });
      expect(session.remoteSettings.initialWindowSize).toBe(HTTP2_WINDOW_BYTES);
      // The connection's own window follows the server's WINDOW_UPDATE right after the settings.
      await expect.poll(() => session.state.remoteWindowSize).toBe(HTTP2_WINDOW_BYTES);
    } finally {
      session.close();
    }
  });
});
