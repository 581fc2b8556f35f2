import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '@aigw/logger';
import type { Account } from '@aigw/proto';
import { createRedis, RedisOutage } from '@aigw/redis';
import { AccountCache } from '../src/accounts/account-cache.js';
import { NO_SELECTOR_METRICS } from '../src/observability/selector-metrics.js';
import { LocalCooldowns } from '../src/outcomes/local-cooldowns.js';
import { OutcomeRecorder } from '../src/outcomes/outcome-recorder.js';
import { AccountSelector } from '../src/selection/account-selector.js';
import { LocalRotation } from '../src/selection/local-rotation.js';

// ioredis builds an auto-pipeline batch with the commands defined at that moment; a script command defined later
// and added to the batch fails the whole batch with a TypeError thrown outside any promise, which killed the
// selector on its first concurrent SelectAccount and ReportOutcome. Both scripts are defined up front.

const prefix = `test:scripts-batch:${randomBytes(4).toString('hex')}:`;
const redis = createRedis('redis://127.0.0.1:6379', { keyPrefix: prefix });
const raw = createRedis('redis://127.0.0.1:6379');

afterAll(async () => {
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  await Promise.allSettled([redis.quit(), raw.quit()]);
});

it('runs a selection and an outcome report sent in the same tick on a fresh client through Redis', async () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  const accounts = [1, 2].map((id) => ({ account: { id } as Account, limit: 0 }));
  const cache = new AccountCache(async () => [{ providerId: 7, providerName: 'batch', accounts }], logger);
  await cache.start(600_000);
  const settings = { baseMs: 1_000, maxMs: 60_000, authFailureMs: 30_000 };
  const metrics = { ...NO_SELECTOR_METRICS, fallback: () => expect.unreachable('fell back to the in-process rotation') };
  const outage = new RedisOutage();
  const cooldowns = new LocalCooldowns(settings);
  const selector = new AccountSelector({ redis, cache, affinityTtlMs: 60_000, outage, local: new LocalRotation(cooldowns), metrics });
  const outcomes = new OutcomeRecorder({ redis, cache, settings, outage, local: cooldowns, metrics: NO_SELECTOR_METRICS });
  const [selection, cooldownMs] = await Promise.all([selector.select(7, 'm', []), outcomes.report(2, 'm', 503, 0)]);
  cache.stop();
  expect(selection.account.id).toBe(1);
  expect(cooldownMs).toBe(1_000);
  expect(await raw.pttl(`${prefix}cooldown:{batch}:2:m`)).toBeGreaterThan(0);
});
