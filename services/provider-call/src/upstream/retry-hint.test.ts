import { describe, expect, it } from 'vitest';
import { durationToMs, retryHint } from './retry-hint.js';
import { failureReport, upstreamErrorMessage } from './failure-report.js';

// Error answers as the providers document and send them (bodies trimmed of nothing that matters here).
const now = Date.parse('2026-04-20T09:00:00Z');

const GEMINI_QUOTA = JSON.stringify({
  error: {
    code: 429,
    message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', quotaValue: '10' }],
      },
      { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '43s' },
    ],
  },
});

// Cloud Code Assist (antigravity) when an account's model quota is used up, wrapped in an array as it sometimes is.
const CLOUD_CODE_QUOTA = JSON.stringify([
  {
    error: {
      code: 429,
      message: 'You have exhausted your capacity on this model. Your quota will reset after 2h21m54s.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'QUOTA_EXHAUSTED',
          domain: 'cloudcode-pa.googleapis.com',
          metadata: { uiMessage: 'true', model: 'claude-sonnet-4-5', quotaResetDelay: '2h21m54.191497488s', quotaResetTimeStamp: '2026-04-20T11:21:54Z' },
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '8514.191497488s' },
      ],
    },
  },
]);

const ANTHROPIC_RATE_LIMIT = JSON.stringify({
  type: 'error',
  error: { type: 'rate_limit_error', message: 'This request would exceed the rate limit for your organization of 50 requests per minute.' },
});

const OPENAI_RATE_LIMIT = JSON.stringify({
  error: {
    message: 'Rate limit reached for gpt-4o in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
    type: 'requests',
    param: null,
    code: 'rate_limit_exceeded',
  },
});

describe('retryHint', () => {
  it('reads Cloud Code’s quota reset time stamp before its RetryInfo', () => {
    expect(retryHint({}, CLOUD_CODE_QUOTA, now)).toEqual({ delayMs: 8_514_000, resetAt: Date.parse('2026-04-20T11:21:54Z'), source: 'quota-reset' });
  });

  it('falls back to quotaResetDelay when there is no time stamp', () => {
    const body = CLOUD_CODE_QUOTA.replace(/"quotaResetTimeStamp":"[^"]+",?/, '').replace(',}', '}');
    expect(retryHint({}, body, now)).toEqual({ delayMs: 8_514_192, resetAt: now + 8_514_192, source: 'quota-reset' });
  });

  it('reads Gemini’s RetryInfo retryDelay', () => {
    expect(retryHint({}, GEMINI_QUOTA, now)).toEqual({ delayMs: 43_000, source: 'retry-info' });
  });

  it('reads Anthropic’s retry-after, else the reset of the limit used up', () => {
    const headers = {
      'retry-after': '30',
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2026-04-20T09:00:45Z',
      'anthropic-ratelimit-tokens-remaining': '39000',
      'anthropic-ratelimit-tokens-reset': '2026-04-20T09:05:00Z',
    };
    expect(retryHint(headers, ANTHROPIC_RATE_LIMIT, now)).toEqual({ delayMs: 30_000, source: 'retry-after' });
    const { 'retry-after': _, ...withoutRetryAfter } = headers;
    expect(retryHint(withoutRetryAfter, ANTHROPIC_RATE_LIMIT, now)).toEqual({ delayMs: 45_000, source: 'retry-after' });
  });

  it('reads OpenAI’s x-ratelimit-reset of the limit used up, and an HTTP-date Retry-After', () => {
    const headers = {
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '20s',
      'x-ratelimit-remaining-tokens': '149984',
      'x-ratelimit-reset-tokens': '6m0s',
    };
    expect(retryHint(headers, OPENAI_RATE_LIMIT, now)).toEqual({ delayMs: 20_000, source: 'retry-after' });
    expect(retryHint({ 'retry-after': 'Mon, 20 Apr 2026 09:01:00 GMT' }, '', now)).toEqual({ delayMs: 60_000, source: 'retry-after' });
  });

  it('finds nothing where nothing was said', () => {
    expect(retryHint({}, '<html>502 Bad Gateway</html>', now)).toBeUndefined();
    expect(retryHint({ 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-remaining-requests': '5' }, OPENAI_RATE_LIMIT, now)).toBeUndefined();
  });
});

describe('durationToMs', () => {
  it('reads protobuf and Go durations', () => {
    expect(['43s', '0.479417207s', '479.417207ms', '2h21m54s', '6m0s', '20ms'].map(durationToMs)).toEqual([43_000, 480, 480, 8_514_000, 360_000, 20]);
    expect(['', '43', 'soon', '-1s'].map(durationToMs)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('failureReport', () => {
  it('carries the hint, the quota reset in seconds and the upstream’s message', () => {
    expect(failureReport({}, CLOUD_CODE_QUOTA, undefined, now)).toEqual({
      retryAfterMs: 8_514_000,
      retryAfterSource: 'quota-reset',
      resetAtS: Date.parse('2026-04-20T11:21:54Z') / 1000,
      upstreamMessage: 'You have exhausted your capacity on this model. Your quota will reset after 2h21m54s.',
    });
    expect(failureReport({}, 'not json', undefined, now)).toEqual({ retryAfterMs: 0, retryAfterSource: '', resetAtS: 0, upstreamMessage: '' });
  });

  it('never keeps a credential an upstream echoed, nor more than a short line', () => {
    const echoed = JSON.stringify({ error: { message: 'Incorrect API key provided: sk-proj-abcdef1234567890abcdef. You can find your API key at https://platform.openai.com.' } });
    expect(upstreamErrorMessage(echoed)).toBe('Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com.');
    expect(upstreamErrorMessage(JSON.stringify({ error: { message: `token Bearer ya29.a0AfH6SMBx ${'x'.repeat(500)}` } }))).not.toMatch(/ya29|xxxxxxxxxx{40}/);
    expect(upstreamErrorMessage(JSON.stringify({ error: { message: 'word '.repeat(200) } })).length).toBeLessThanOrEqual(300);
  });
});
