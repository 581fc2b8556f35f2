import { Router } from 'express';
import { z } from '@aigw/config';
import type { AdminDeps } from './admin-deps.js';
import { resourceDocs } from './openapi/route-docs.js';
import { found, idParam } from './admin-params.js';
import { USAGE_GROUPS, usageBy, usdOf, type UsageGroup } from './usage-queries.js';

const DAY_MS = 86_400_000;
const daysQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(7) });
const limitQuery = z.object({ limit: z.coerce.number().int().min(1).default(100).transform((n) => Math.min(n, 1000)) });
// clientRequestId finds every row a client's own id was sent with (indexed; many rows may share one).
const logsQuery = limitQuery.extend({ clientRequestId: z.string().min(1).max(64).optional() });
const usageQuery = daysQuery.extend({ by: z.enum(Object.keys(USAGE_GROUPS) as [UsageGroup, ...UsageGroup[]]).default('key') });

/** A daily rollup row of proxy_stats or account_stats. */
interface DailyRow {
  day: Date;
  requests: number;
  successes: number;
  failures: number;
  totalLatencyMs: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
}

/** First UTC day of a window of `days` days ending today. */
export function windowStart(days: number, now = Date.now()): Date {
  return new Date(Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS);
}

/** Rows as JSON-safe numbers, plus totals over the window. */
export function summarise(rows: readonly DailyRow[]) {
  const totals = { requests: 0, successes: 0, failures: 0, avgLatencyMs: 0, inputTokens: 0, outputTokens: 0 };
  let latency = 0;
  const days = rows.map((row) => {
    totals.requests += row.requests;
    totals.successes += row.successes;
    totals.failures += row.failures;
    totals.inputTokens += Number(row.inputTokens);
    totals.outputTokens += Number(row.outputTokens);
    latency += Number(row.totalLatencyMs);
    return {
      day: row.day.toISOString().slice(0, 10),
      requests: row.requests,
      successes: row.successes,
      failures: row.failures,
      avgLatencyMs: row.requests > 0 ? Math.round(Number(row.totalLatencyMs) / row.requests) : 0,
      inputTokens: Number(row.inputTokens),
      outputTokens: Number(row.outputTokens),
    };
  });
  totals.avgLatencyMs = totals.requests > 0 ? Math.round(latency / totals.requests) : 0;
  return { days, totals };
}

/** /stats: daily rollups per proxy and per account, and the latest request logs. */
export function statsApi({ prisma }: AdminDeps): Router {
  const router = Router();

  router.get('/proxies/:id', async (req, res) => {
    const proxyId = idParam(req.params.id);
    const { days } = daysQuery.parse(req.query);
    found(await prisma.proxy.findUnique({ where: { id: proxyId }, select: { id: true } }), 'proxy');
    const from = windowStart(days);
    const rows = await prisma.proxyStat.findMany({ where: { proxyId, day: { gte: from } }, orderBy: { day: 'asc' } });
    res.json({ proxyId, from: from.toISOString().slice(0, 10), ...summarise(rows) });
  });

  router.get('/accounts/:id', async (req, res) => {
    const accountId = idParam(req.params.id);
    const { days } = daysQuery.parse(req.query);
    found(await prisma.account.findUnique({ where: { id: accountId }, select: { id: true } }), 'account');
    const from = windowStart(days);
    const rows = await prisma.accountStat.findMany({ where: { accountId, day: { gte: from } }, orderBy: { day: 'asc' } });
    res.json({ accountId, from: from.toISOString().slice(0, 10), ...summarise(rows) });
  });

  router.get('/logs', async (req, res) => {
    const { limit, clientRequestId } = logsQuery.parse(req.query);
    const logs = await prisma.requestLog.findMany({
      ...(clientRequestId === undefined ? {} : { where: { clientRequestId } }),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    res.json({
      data: logs.map((log) => ({
        ...log,
        id: Number(log.id),
        costMicroUsd: log.costMicroUsd === null ? null : Number(log.costMicroUsd),
        costUsd: log.costMicroUsd === null ? null : usdOf(log.costMicroUsd),
      })),
    });
  });

  router.get('/usage', async (req, res) => {
    const { by, days } = usageQuery.parse(req.query);
    const from = windowStart(days);
    res.json({ by, from: from.toISOString().slice(0, 10), data: await usageBy(prisma, by, from) });
  });

  return router;
}

/** The routes above, for the OpenAPI document (admin-openapi.ts). */
export const statsDocs = resourceDocs('stats', [
  { method: 'get', path: '/proxies/:id', summary: 'Daily rollups of one proxy', query: daysQuery },
  { method: 'get', path: '/accounts/:id', summary: 'Daily rollups of one account', query: daysQuery },
  { method: 'get', path: '/logs', summary: 'Latest request logs, filtered', query: logsQuery },
  { method: 'get', path: '/usage', summary: 'Requests, tokens and cost per client key, account, model or provider over the last days', query: usageQuery },
]);
