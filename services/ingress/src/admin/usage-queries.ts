import { Prisma, type PrismaClient } from '@aigw/db';

/** Requests, tokens and cost of a group of request logs, as the admin API shows them. */
export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
}

/** A grouped row as MariaDB returns it (COUNT and CAST(SUM) as bigint, or null over no rows). */
interface UsageRow {
  k: string | number | bigint | Date | null;
  requests: bigint | number;
  input: bigint | number | null;
  output: bigint | number | null;
  cached: bigint | number | null;
  cost: bigint | number | null;
}

const SUMS = Prisma.sql`COUNT(*) AS requests, CAST(SUM(input_tokens) AS SIGNED) AS input, CAST(SUM(output_tokens) AS SIGNED) AS output,
  CAST(SUM(cached_tokens) AS SIGNED) AS cached, CAST(SUM(cost_micro_usd) AS SIGNED) AS cost`;

/** USD of micro-USD (the DB keeps integers; the API shows dollars). */
export function usdOf(microUsd: number | bigint | null | undefined): number {
  return Number(microUsd ?? 0) / 1_000_000;
}

function totalsOf(row: UsageRow): UsageTotals {
  return {
    requests: Number(row.requests),
    inputTokens: Number(row.input ?? 0),
    outputTokens: Number(row.output ?? 0),
    cachedTokens: Number(row.cached ?? 0),
    costUsd: usdOf(row.cost),
  };
}

/** Sums of totals (for a usage answer's `totals`). */
export function addTotals(rows: readonly UsageTotals[]): UsageTotals {
  const sum = { requests: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costMicroUsd: 0 };
  for (const row of rows) {
    sum.requests += row.requests;
    sum.inputTokens += row.inputTokens;
    sum.outputTokens += row.outputTokens;
    sum.cachedTokens += row.cachedTokens;
    sum.costMicroUsd += Math.round(row.costUsd * 1_000_000);
  }
  const { costMicroUsd, ...counts } = sum;
  return { ...counts, costUsd: usdOf(costMicroUsd) };
}

/** One client key's usage since `from`: per UTC day and per model. */
export async function keyUsage(prisma: PrismaClient, apiKeyId: number, from: Date) {
  const where = Prisma.sql`WHERE api_key_id = ${apiKeyId} AND created_at >= ${from}`;
  const [days, models] = await Promise.all([
    prisma.$queryRaw<UsageRow[]>(Prisma.sql`SELECT DATE_FORMAT(created_at, '%Y-%m-%d') AS k, ${SUMS} FROM request_logs ${where} GROUP BY k ORDER BY k`),
    prisma.$queryRaw<UsageRow[]>(Prisma.sql`SELECT model AS k, ${SUMS} FROM request_logs ${where} GROUP BY model ORDER BY requests DESC, model`),
  ]);
  const byDay = days.map((row) => ({ day: String(row.k), ...totalsOf(row) }));
  return { days: byDay, byModel: models.map((row) => ({ model: String(row.k), ...totalsOf(row) })), totals: addTotals(byDay) };
}

/** A client key's spend since `from` in micro-USD, from request_logs (what was logged so far). */
export async function loggedSpendMicroUsd(prisma: PrismaClient, apiKeyId: number, from: Date): Promise<number> {
  const rows = await prisma.$queryRaw<{ cost: bigint | null }[]>(
    Prisma.sql`SELECT CAST(SUM(cost_micro_usd) AS SIGNED) AS cost FROM request_logs WHERE api_key_id = ${apiKeyId} AND created_at >= ${from}`,
  );
  return Number(rows[0]?.cost ?? 0);
}

/** What /stats/usage groups by, and the request_logs column it groups. */
export const USAGE_GROUPS = { key: 'api_key_id', account: 'account_id', model: 'model', provider: 'provider_id' } as const;
export type UsageGroup = keyof typeof USAGE_GROUPS;

/** Usage since `from`, one row per key, account, model or provider, with a label people read. */
export async function usageBy(prisma: PrismaClient, by: UsageGroup, from: Date) {
  const rows = await prisma.$queryRaw<UsageRow[]>(
    Prisma.sql`SELECT ${Prisma.raw(USAGE_GROUPS[by])} AS k, ${SUMS} FROM request_logs WHERE created_at >= ${from} GROUP BY k ORDER BY cost DESC, requests DESC`,
  );
  const ids = rows.map((row) => Number(row.k)).filter((id) => Number.isInteger(id) && id > 0);
  const labels = new Map<number, string>();
  if (by === 'key' && ids.length > 0) {
    for (const key of await prisma.apiKey.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, prefix: true } })) labels.set(key.id, `${key.name} (${key.prefix}…)`);
  } else if (by === 'account' && ids.length > 0) {
    for (const account of await prisma.account.findMany({ where: { id: { in: ids } }, select: { id: true, label: true } })) labels.set(account.id, account.label);
  } else if (by === 'provider' && ids.length > 0) {
    for (const provider of await prisma.provider.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })) labels.set(provider.id, provider.name);
  }
  return rows.map((row) => {
    if (by === 'model') return { id: String(row.k ?? ''), label: String(row.k ?? ''), ...totalsOf(row) };
    const id = row.k === null ? null : Number(row.k);
    return { id, label: id === null ? 'none' : (labels.get(id) ?? `#${id} (deleted)`), ...totalsOf(row) };
  });
}
