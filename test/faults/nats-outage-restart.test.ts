import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpSwitch } from './support/tcp-switch.js';
import { startE2eStack, type E2eContext } from '../e2e/support/e2e-stack.js';
import { eventually } from '../e2e/support/eventually.js';
import { get, openaiBody, post } from '../e2e/support/http.js';

// DESIGN §2 "NATS" (issue 14: "NATS cut, then ingress killed" / "then SIGTERM"): ingress keeps every request-log
// batch JetStream has not acknowledged in its on-disk outbox, so neither a crash nor a deploy during a NATS
// outage loses a log row. Only ingress reaches NATS through the switch: the logging service stays connected, as
// when the network between ingress and NATS fails.

const NATS = new URL(process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222');
const REQUESTS = 200;

let ctx: E2eContext;
let nats: TcpSwitch;
let natsCut = false;

async function cutNats(): Promise<void> {
  await nats.off();
  natsCut = true;
}

async function restoreNats(): Promise<void> {
  await nats.on();
  natsCut = false;
}

beforeAll(async () => {
  nats = new TcpSwitch(NATS.hostname, Number(NATS.port || 4222));
  const port = await nats.on();
  ctx = await startE2eStack('log_outbox', { env: { ingress: { NATS_URL: `nats://127.0.0.1:${port}` } } });
});

afterAll(async () => {
  if (natsCut) await restoreNats();
  await ctx?.teardown();
  await nats?.off();
});

/** Waits until ingress is ready (routes loaded, backends serving), as a balancer would before sending traffic. */
async function ingressReady(): Promise<void> {
  await eventually(async () => expect((await get(ctx.stack, '/readyz')).status).toBe(200), { timeoutMs: 60_000, intervalMs: 250 });
}

/** Sends `count` requests, 20 at a time; returns the gateway's id of each (all must be answered 200). */
async function answeredRequests(count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 20) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(20, count - start) }, (_, i) =>
        post(ctx.stack, '/v1/chat/completions', openaiBody('gpt-4o-mini', `${label} ${start + i}`), { bearer: ctx.stack.demoKey }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(200);
      ids.push(answer.requestId);
    }
  }
  return ids;
}

/** Waits until every id has its log row (request_id is unique, so a row found is the only one). */
async function expectOneRowEach(ids: string[]): Promise<void> {
  await eventually(
    async () => {
      const rows = await ctx.prisma.requestLog.findMany({ where: { requestId: { in: ids } }, select: { requestId: true } });
      expect(rows.length).toBe(ids.length);
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  const rows = await ctx.prisma.requestLog.findMany({ where: { requestId: { in: ids } }, select: { requestId: true } });
  expect(new Set(rows.map((row) => row.requestId))).toEqual(new Set(ids));
}

describe('request logs through a NATS outage', () => {
  it('ingress killed (kill -9) while NATS is cut: every answered request gets exactly one row after the restart', async () => {
    const ingress = ctx.stack.service('ingress');
    await ingressReady();
    await cutNats();
    const ids = await answeredRequests(REQUESTS, 'killed');
    expect(new Set(ids).size).toBe(REQUESTS);
    await ingress.kill('SIGKILL');
    await restoreNats();
    const linesBefore = ctx.stack.logs().length;
    await ingress.restart();
    expect(ctx.stack.logs().slice(linesBefore).join('\n')).toContain('replaying request-log events left in the outbox');
    await expectOneRowEach(ids);
  }, 180_000);

  it('ingress stopped (SIGTERM) while NATS is cut: what could not be flushed is replayed by the next start', async () => {
    const ingress = ctx.stack.service('ingress');
    await ingressReady();
    await cutNats();
    const ids = await answeredRequests(REQUESTS, 'stopped');
    const beforeStop = ctx.stack.logs().length;
    await ingress.stop();
    const shutdown = ctx.stack.logs().slice(beforeStop).join('\n');
    expect(shutdown).toContain('the rest stays in the outbox');
    await restoreNats();
    const linesBefore = ctx.stack.logs().length;
    await ingress.restart();
    expect(ctx.stack.logs().slice(linesBefore).join('\n')).toContain('replaying request-log events left in the outbox');
    await expectOneRowEach(ids);
  }, 180_000);
});
