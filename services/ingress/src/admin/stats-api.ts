import { Router } from 'express';
import { z } from '@aigw/config';
import type { Prisma, RequestLog } from '@aigw/db';
import type { AdminDeps } from './admin-deps.js';
import { resourceDocs } from './openapi/route-docs.js';
import { found, idParam } from './admin-params.js';
import { requestTimeseries, timeseriesQuery } from './stats-timeseries.js';
import { USAGE_GROUPS, usageBy, usdOf, type UsageGroup } from './usage-queries.js';

const DAY_MS = 86_400_000;
const daysQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(7) });
const limitQuery = z.object({ limit: z.coerce.number().int().min(1).default(100).transform((n) => Math.min(n, 1000)) });
const optionalId = z.coerce.number().int().positive().optional();
// clientRequestId finds every row a client's own id was sent with (indexed; many rows may share one).
export const logsQuery = limitQuery.extend({
  apiKeyId: optionalId,
  accountId: optionalId,
  providerId: optionalId,
  model: z.string().min(1).max(128).optional(),
  /** An exact code (200, 429), a class (2xx, 4xx, 5xx) or `error` (any failure: 4xx, 5xx or an error class). */
  status: z
    .string()
    .regex(/^([1-5][0-9][0-9]|[1-5]xx|error)$/, 'an HTTP status (429), a class (4xx) or error')
    .optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  requestId: z.string().min(1).max(64).optional(),
  clientRequestId: z.string().min(1).max(64).optional(),
});
type LogsQuery = z.infer<typeof logsQuery>;
const requestIdParam = z.object({ requestId: z.string().min(1).max(64) });

/** The status filter as a Prisma condition. */
function statusWhere(status: string): Prisma.RequestLogWhereInput {
  if (status === 'error') return { OR: [{ statusCode: { gte: 400 } }, { errorClass: { not: null } }] };
  if (status.endsWith('xx')) {
    const base = Number(status[0]) * 100;
    return { statusCode: { gte: base, lt: base + 100 } };
  }
  return { statusCode: Number(status) };
}

/** The filters of /stats/logs as one Prisma where. */
export function logsWhere(query: LogsQuery): Prisma.RequestLogWhereInput {
  const and: Prisma.RequestLogWhereInput[] = [];
  if (query.apiKeyId !== undefined) and.push({ apiKeyId: query.apiKeyId });
  if (query.accountId !== undefined) and.push({ accountId: query.accountId });
  if (query.providerId !== undefined) and.push({ providerId: query.providerId });
  if (query.model !== undefined) and.push({ model: query.model });
  if (query.status !== undefined) and.push(statusWhere(query.status));
  if (query.from !== undefined) and.push({ createdAt: { gte: new Date(query.from) } });
  if (query.to !== undefined) and.push({ createdAt: { lt: new Date(query.to) } });
  if (query.requestId !== undefined) and.push({ requestId: query.requestId });
  if (query.clientRequestId !== undefined) and.push({ clientRequestId: query.clientRequestId });
  return and.length === 0 ? {} : { AND: and };
}

/** A log row as JSON: ids as numbers, the price in USD. Rows hold no body and no secret. */
function presentLog(log: RequestLog) {
  const { id, costMicroUsd, ...rest } = log;
  const cost = costMicroUsd === null ? null : Number(costMicroUsd);
  return { id: Number(id), ...rest, costMicroUsd: cost, costUsd: cost === null ? null : usdOf(cost) };
}

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

/** /stats: daily rollups per proxy and per account, request logs (filtered, one by id) and time series. */
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
    const query = logsQuery.parse(req.query);
    const logs = await prisma.requestLog.findMany({
      where: logsWhere(query),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
    });
    res.json({ data: logs.map(presentLog) });
  });

  router.get('/logs/:requestId', async (req, res) => {
    const { requestId } = requestIdParam.parse(req.params);
    res.json(presentLog(found(await prisma.requestLog.findFirst({ where: { requestId } }), 'request log')));
  });

  router.get('/timeseries', async (req, res) => {
    res.json(await requestTimeseries(prisma, timeseriesQuery.parse(req.query)));
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
  { method: 'get', path: '/logs/:requestId', summary: 'One request log by its request id (no body, no secret)' },
  { method: 'get', path: '/timeseries', summary: 'Requests, errors, tokens and cost per hour or day, by provider, model or key', query: timeseriesQuery },
  { method: 'get', path: '/usage', summary: 'Requests, tokens and cost per client key, account, model or provider over the last days', query: usageQuery },
]);
