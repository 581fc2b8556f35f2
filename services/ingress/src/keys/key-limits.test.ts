import { describe, expect, it } from 'vitest';
import { formatUsd, hasCountedLimits, KeyLimits, type AdmitAnswer, type AdmitQuery, type ChargeQuery, type KeyCounters, type SeedQuery } from './key-limits.js';
import type { ApiKeyRecord } from './api-key-cache.js';

const key = (limits: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({ id: 4, rateLimitPerMin: null, revoked: false, ...limits });
const NOW = Date.parse('2026-12-07T10:00:30Z');

function limitsAnswering(answer: Partial<AdmitAnswer>, charges: ChargeQuery[] = []) {
  return new KeyLimits(
    {
      admit: async () => ({ requests: 1, tokens: 0, spentMicroUsd: 0, ...answer }),
      charge: async (query) => void charges.push(query),
      spent: async () => 0,
      seedSpend: async () => undefined,
    },
    () => undefined,
    () => NOW,
  );
}

describe('KeyLimits', () => {
  it('refuses a key whose period budget is spent, saying how much and when it resets', async () => {
    const error = await limitsAnswering({ spentMicroUsd: 50_100 }).check(key({ budgetMicroUsd: 50_000, budgetPeriod: 'month' })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      message: "this API key's budget of $0.05 per month is used up ($0.0501 spent); it resets at 2027-01-01T00:00:00.000Z",
      retryAfterMs: Date.parse('2027-01-01T00:00:00Z') - NOW,
    });
  });

  it('says a total budget does not reset', async () => {
    await expect(limitsAnswering({ spentMicroUsd: 2_000_000 }).check(key({ budgetMicroUsd: 2_000_000, budgetPeriod: 'total' }))).rejects.toMatchObject({
      code: 'BUDGET_EXCEEDED',
      message: expect.stringContaining('total budget of $2.00 is used up'),
    });
  });

  it('refuses on tokens per minute until the next minute', async () => {
    await expect(limitsAnswering({ tokens: 1_000 }).check(key({ tokensPerMin: 1_000 }))).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 30_000 });
    await expect(limitsAnswering({ tokens: 999 }).check(key({ tokensPerMin: 1_000 }))).resolves.toBeUndefined();
  });

  it('lets a request through when the counters fail, and reports it', async () => {
    const failures: string[] = [];
    const limits = new KeyLimits(
      {
        admit: async () => Promise.reject(new Error('down')),
        charge: async () => Promise.reject(new Error('down')),
        spent: async () => 0,
        seedSpend: async () => Promise.reject(new Error('down')),
      },
      (operation) => failures.push(operation),
    );
    await expect(limits.check(key({ rateLimitPerMin: 1 }))).resolves.toBeUndefined();
    limits.charge(key({ budgetMicroUsd: 5 }), undefined, 3);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(failures).toEqual(['check', 'charge']);
  });

  it('charges a budgeted key its cost in its current period, and tokens only to keys limited on tokens', async () => {
    const charges: ChargeQuery[] = [];
    const limits = limitsAnswering({}, charges);
    limits.charge(key({ budgetMicroUsd: 100, budgetPeriod: 'week' }), { inputTokens: 10, outputTokens: 5 }, 42.4);
    limits.charge(key({ tokensPerMin: 100 }), { inputTokens: 10, outputTokens: 5 }, 42);
    limits.charge(key({ budgetMicroUsd: 100 }), undefined, undefined);
    expect(charges).toEqual([
      expect.objectContaining({ tokens: 0, costMicroUsd: 42, period: 'week', periodStartMs: Date.parse('2026-12-07T00:00:00Z'), periodEndMs: Date.parse('2026-12-14T00:00:00Z') }),
      expect.objectContaining({ tokens: 15, costMicroUsd: 0 }),
    ]);
  });

  it('allows only the listed models (with * patterns), naming the refused one', () => {
    const limits = limitsAnswering({});
    const restricted = key({ allowedModels: ['gpt-4o-mini', 'claude-*'] });
    expect(() => limits.checkModel(restricted, 'claude-sonnet-4-5')).not.toThrow();
    expect(() => limits.checkModel(restricted, 'gpt-4o')).toThrow(expect.objectContaining({ code: 'PERMISSION_DENIED', message: expect.stringContaining('"gpt-4o"') }));
    expect(() => limits.checkModel(key(), 'anything')).not.toThrow();
  });

  it('knows which keys need the counters at all', () => {
    expect(hasCountedLimits(key())).toBe(false);
    expect(hasCountedLimits(key({ allowedModels: ['x'], expiresAtMs: 1 }))).toBe(false);
    expect(hasCountedLimits(key({ budgetMicroUsd: 0 }))).toBe(true);
  });

  it('formats amounts in dollars, finer than cents only when needed', () => {
    expect(formatUsd(5_000_000)).toBe('$5.00');
    expect(formatUsd(1_000)).toBe('$0.001');
  });

  describe('a budget whose spend counter was lost or never kept', () => {
    /** Counters that know nothing of the period until seeded, as Redis after a restart. */
    function freshCounters() {
      const seeds: SeedQuery[] = [];
      const admits: AdmitQuery[] = [];
      let seeded: number | null = null;
      const counters: KeyCounters = {
        admit: async (query) => {
          admits.push(query);
          if (query.seeding === true && seeded === null) return { requests: 0, tokens: 0, spentMicroUsd: 0, spendSeeded: false };
          return { requests: 1, tokens: 0, spentMicroUsd: seeded ?? 0, spendSeeded: true };
        },
        charge: async () => undefined,
        spent: async () => seeded ?? 0,
        seedSpend: async (query) => {
          seeds.push(query);
          seeded = query.microUsd;
        },
      };
      return { counters, seeds, admits };
    }

    it("seeds it once from the request logs, so the period's earlier spend counts", async () => {
      const { counters, seeds } = freshCounters();
      let ledgerCalls = 0;
      const ledger = async (_id: number, sinceMs: number) => (ledgerCalls++, expect(sinceMs).toBe(Date.parse('2026-12-01T00:00:00Z')), 60_000);
      const limits = new KeyLimits(counters, () => undefined, () => NOW, ledger);
      const budgeted = key({ budgetMicroUsd: 50_000, budgetPeriod: 'month' });
      const results = await Promise.allSettled([limits.check(budgeted), limits.check(budgeted), limits.check(budgeted)]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(results[0]).toMatchObject({ reason: { code: 'BUDGET_EXCEEDED', message: expect.stringContaining('$0.06 spent') } });
      expect(ledgerCalls).toBe(1);
      expect(seeds).toEqual([expect.objectContaining({ apiKeyId: 4, period: 'month', microUsd: 60_000, periodEndMs: Date.parse('2027-01-01T00:00:00Z') })]);
    });

    it('goes on with the counters as they are while the ledger fails, and pauses seeding', async () => {
      const { counters, admits } = freshCounters();
      const failures: string[] = [];
      let now = NOW;
      const limits = new KeyLimits(counters, (operation) => failures.push(operation), () => now, async () => Promise.reject(new Error('db down')));
      const budgeted = key({ budgetMicroUsd: 50_000 });
      await expect(limits.check(budgeted)).resolves.toBeUndefined();
      expect(failures).toEqual(['seed']);
      expect(admits.map((a) => a.seeding)).toEqual([true, false]);
      await limits.check(budgeted);
      expect(admits.slice(2).map((a) => a.seeding)).toEqual([false]);
      now += 10_001;
      await limits.check(budgeted);
      expect(failures).toEqual(['seed', 'seed']);
    });
  });
});
