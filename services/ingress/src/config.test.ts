import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@aigw/config';
import { ingressConfigSchema } from './config.js';

const required = { DATABASE_URL: 'mysql://x', AIGW_ENCRYPTION_KEY: 'a'.repeat(64) };

/** The problems loadConfig lists for `env`, or [] when it parses. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(ingressConfigSchema, { ...required, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('ingressConfigSchema body sizes', () => {
  it('defaults to a 10mb limit within a 32mb budget', () => {
    const config = loadConfig(ingressConfigSchema, required);
    expect(config.BODY_LIMIT).toBe('10mb');
    expect(config.BODY_BUDGET).toBe('32mb');
  });

  it('refuses a budget smaller than the limit, which no body of the largest size could pass', () => {
    expect(problemsOf({ BODY_LIMIT: '10mb', BODY_BUDGET: '10mb' })).toEqual([]);
    expect(problemsOf({ BODY_LIMIT: '10mb', BODY_BUDGET: '8mb' })).toEqual([expect.stringMatching(/^BODY_BUDGET: must be at least BODY_LIMIT \(10mb\)/)]);
  });

  it('refuses sizes that are not byte sizes', () => {
    expect(problemsOf({ BODY_BUDGET: 'lots' })).toEqual([expect.stringMatching(/^BODY_BUDGET: expected a byte size/)]);
    expect(problemsOf({ BODY_BUDGET: '0' })).toEqual([expect.stringMatching(/^BODY_BUDGET: expected a byte size/)]);
  });
});

describe('ingressConfigSchema response store', () => {
  it('keeps responses a day, up to 10mb each, by default', () => {
    const config = loadConfig(ingressConfigSchema, required);
    expect(config.RESPONSE_STORE_TTL_S).toBe(86_400);
    expect(config.RESPONSE_STORE_MAX_BYTES).toBe('10mb');
  });

  it('takes 0 (store nothing) up to OpenAI’s 30 days, and refuses more', () => {
    expect(problemsOf({ RESPONSE_STORE_TTL_S: '0' })).toEqual([]);
    expect(problemsOf({ RESPONSE_STORE_TTL_S: String(30 * 86_400) })).toEqual([]);
    expect(problemsOf({ RESPONSE_STORE_TTL_S: String(30 * 86_400 + 1) })).toEqual([expect.stringMatching(/^RESPONSE_STORE_TTL_S:/)]);
    expect(problemsOf({ RESPONSE_STORE_MAX_BYTES: 'big' })).toEqual([expect.stringMatching(/^RESPONSE_STORE_MAX_BYTES: expected a byte size/)]);
  });
});

describe('ingressConfigSchema HTTP server and shutdown', () => {
  it('defaults to a 10 s headers timeout, 120 s to receive a request, 65 s keep-alive and a 5 s drain', () => {
    const config = loadConfig(ingressConfigSchema, required);
    expect([config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS, config.HTTP_KEEPALIVE_TIMEOUT_MS]).toEqual([10_000, 120_000, 65_000]);
    expect([config.SHUTDOWN_DRAIN_MS, config.SHUTDOWN_GRACE_MS]).toEqual([5_000, 25_000]);
    expect(loadConfig(ingressConfigSchema, { ...required, SHUTDOWN_DRAIN_MS: '0' }).SHUTDOWN_DRAIN_MS).toBe(0);
  });

  it('refuses a headers timeout longer than the request timeout, which node would refuse at start', () => {
    expect(problemsOf({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' })).toEqual([
      expect.stringMatching(/^HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS \(10000\)/),
    ]);
  });
});
