import { describe, expect, it } from 'vitest';
import { parsePriceOverride } from './price-override.js';
import { priceLookups, requestCostMicroUsd } from './request-cost.js';

const M = 1_000_000;

describe('requestCostMicroUsd from the price table', () => {
  it('prices an OpenAI model, cached prompt tokens (a part of the prompt) at the cached rate', () => {
    // gpt-4o: $2.50 input, $1.25 cached input, $10 output per MTok.
    expect(requestCostMicroUsd('openai', 'gpt-4o', { inputTokens: M, outputTokens: M })).toBe(12_500_000);
    // Half the prompt cached: 0.5 M × 2.5 + 0.5 M × 1.25 + 1 M × 10, never the cached half twice.
    expect(requestCostMicroUsd('openai', 'gpt-4o', { inputTokens: M, outputTokens: M, cachedInputTokens: M / 2 })).toBe(11_875_000);
  });

  it('prices Anthropic cache reads and writes apart from the rest of the prompt', () => {
    // claude-3-5-haiku: $0.80 input, $0.08 cache read, $1 cache write, $4 output per MTok. Anthropic's
    // input_tokens=100k, cache_read=800k, cache_creation=100k arrive normalised as a 1 M prompt.
    const usage = { inputTokens: M, outputTokens: 0, cachedInputTokens: 800_000, cacheWriteTokens: 100_000 };
    expect(requestCostMicroUsd('anthropic', 'claude-3-5-haiku-latest', usage)).toBe(80_000 + 64_000 + 100_000);
  });

  it('prices Gemini models through Google’s table, with or without the models/ prefix', () => {
    const cost = requestCostMicroUsd('gemini', 'gemini-2.5-flash', { inputTokens: M, outputTokens: 0 });
    expect(cost).toBe(300_000);
    expect(requestCostMicroUsd('gemini', 'models/gemini-2.5-flash', { inputTokens: M, outputTokens: 0 })).toBe(cost);
  });

  it('prices antigravity’s Claude and Gemini models as their makers do, without Cloud Code suffixes', () => {
    expect(requestCostMicroUsd('antigravity', 'claude-sonnet-4-5-thinking', { inputTokens: M, outputTokens: 0 })).toBe(
      requestCostMicroUsd('anthropic', 'claude-sonnet-4-5', { inputTokens: M, outputTokens: 0 }),
    );
    expect(requestCostMicroUsd('antigravity', 'gemini-2.5-flash', { inputTokens: M, outputTokens: 0 })).toBe(300_000);
    expect(priceLookups('antigravity', 'gemini-3-pro-high').map((l) => l.model)).toEqual(['gemini-3-pro-high', 'gemini-3-pro', 'gemini-3-pro-preview']);
    expect(requestCostMicroUsd('antigravity', 'gemini-3-pro-high', { inputTokens: 1000, outputTokens: 0 })).not.toBeNull();
  });

  it('prices an OpenAI-compatible provider’s model by its maker when the table knows it', () => {
    expect(requestCostMicroUsd('openai', 'deepseek-chat', { inputTokens: M, outputTokens: 0 })).toBeGreaterThan(0);
  });

  it('answers null for a model nobody prices, or no usage', () => {
    expect(requestCostMicroUsd('openai', 'emu-private-model', { inputTokens: 10, outputTokens: 10 })).toBeNull();
    expect(requestCostMicroUsd('openai', 'gpt-4o', undefined)).toBeNull();
  });
});

describe('requestCostMicroUsd with an operator’s price', () => {
  it('replaces the table, cached reads at their own price and otherwise at the input price', () => {
    const price = { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 };
    expect(requestCostMicroUsd('openai', 'gpt-4o', { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 600 }, price)).toBe(400 * 2 + 600 * 0.5 + 100 * 8);
    expect(requestCostMicroUsd('openai', 'emu-private-model', { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 600 }, { inputPerMTok: 2, outputPerMTok: 8 })).toBe(2000);
  });

  it('never counts more cached tokens than the prompt has', () => {
    expect(requestCostMicroUsd('x', 'm', { inputTokens: 100, outputTokens: 0, cachedInputTokens: 500, cacheWriteTokens: 50 }, { inputPerMTok: 10, outputPerMTok: 0, cachedInputPerMTok: 1 })).toBe(100);
  });
});

describe('parsePriceOverride', () => {
  it('reads a stored price and ignores anything else', () => {
    expect(parsePriceOverride('{"inputPerMTok":1,"outputPerMTok":2}')).toEqual({ inputPerMTok: 1, outputPerMTok: 2 });
    expect(parsePriceOverride(null)).toBeNull();
    expect(parsePriceOverride('{"inputPerMTok":-1,"outputPerMTok":2}')).toBeNull();
    expect(parsePriceOverride('not json')).toBeNull();
  });
});
