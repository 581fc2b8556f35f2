import { describe, expect, it } from 'vitest';
import { newTrace } from '../proxying/backends.js';
import { newRequestSummary, requestLogEvent } from './request-log-event.js';

describe('requestLogEvent cost', () => {
  const summary = newRequestSummary('r1', '', 'openai', 1_000);

  it('prices the usage at the route’s override, cached prompt tokens at the cached price', () => {
    const trace = { ...newTrace(), providerKind: 'openai', upstreamModel: 'emu-model', usage: { inputTokens: 1_000, outputTokens: 100, cachedInputTokens: 400 } };
    const event = requestLogEvent(summary, { ...trace, price: { inputPerMTok: 10, outputPerMTok: 20, cachedInputPerMTok: 1 } });
    expect(event.costMicroUsd).toBe(600 * 10 + 400 * 1 + 100 * 20);
  });

  it('prices Anthropic cache writes at the write price and reads at the read price, each once', () => {
    // claude-3-5-haiku: $0.80 input, $0.08 cache read, $1 cache write, $4 output per MTok.
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 800_000, cacheWriteInputTokens: 100_000 };
    const event = requestLogEvent(summary, { ...newTrace(), providerKind: 'anthropic', upstreamModel: 'claude-3-5-haiku-latest', usage });
    expect(event.costMicroUsd).toBe(80_000 + 64_000 + 100_000);
  });

  it('prices known models from the price table, and leaves unknown ones and requests without usage unpriced', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0 };
    expect(requestLogEvent(summary, { ...newTrace(), providerKind: 'openai', upstreamModel: 'gpt-4o', usage }).costMicroUsd).toBe(2_500_000);
    expect(requestLogEvent(summary, { ...newTrace(), providerKind: 'openai', upstreamModel: 'emu-model', usage }).costMicroUsd).toBeUndefined();
    expect(requestLogEvent(summary, { ...newTrace(), providerKind: 'openai', upstreamModel: 'gpt-4o' }).costMicroUsd).toBeUndefined();
  });
});
