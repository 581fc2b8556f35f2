import { calcPrice } from '@pydantic/genai-prices';
import type { PriceOverride } from './price-override.js';

/**
 * A request's token counts as the gateway normalises them (aigw.common.v1.Usage): inputTokens is the whole
 * prompt, cache reads and cache writes included (OpenAI's prompt_tokens; Anthropic's input_tokens +
 * cache_read_input_tokens + cache_creation_input_tokens); reasoningTokens are a part of outputTokens.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Cache reads: a part of inputTokens. */
  cachedInputTokens?: number;
  /** Cache writes: a part of inputTokens. */
  cacheWriteTokens?: number;
  /** A part of outputTokens, priced as output. */
  reasoningTokens?: number;
}

/** The adapter kinds of the providers table. */
export type ProviderKind = 'openai' | 'anthropic' | 'gemini' | 'antigravity' | (string & {});

/** The prompt split into disjoint parts, so that nothing is priced twice. */
function promptParts(usage: TokenUsage): { uncached: number; cacheRead: number; cacheWrite: number } {
  const input = Math.max(0, usage.inputTokens);
  const cacheRead = Math.min(input, Math.max(0, usage.cachedInputTokens ?? 0));
  const cacheWrite = Math.min(input - cacheRead, Math.max(0, usage.cacheWriteTokens ?? 0));
  return { uncached: input - cacheRead - cacheWrite, cacheRead, cacheWrite };
}

/** Cost with an operator's price: USD per million tokens is exactly micro-USD per token. */
export function overrideCostMicroUsd(price: PriceOverride, usage: TokenUsage): number {
  const { uncached, cacheRead, cacheWrite } = promptParts(usage);
  const micro =
    uncached * price.inputPerMTok +
    cacheRead * (price.cachedInputPerMTok ?? price.inputPerMTok) +
    cacheWrite * (price.cacheWritePerMTok ?? price.inputPerMTok) +
    Math.max(0, usage.outputTokens) * price.outputPerMTok;
  return Math.round(micro);
}

/** Suffixes antigravity (Cloud Code) puts on model names that the public APIs do not have. */
const ANTIGRAVITY_SUFFIX = /-(thinking|high|low|medium|minimal)$/;

/** The price table's provider ids and model names to try, in order, for a model of a provider kind. */
export function priceLookups(kind: ProviderKind, model: string): Array<{ providerId: string | undefined; model: string }> {
  const name = model.replace(/^models\//, '').trim();
  if (kind === 'antigravity') {
    // Antigravity serves Google's Gemini and Anthropic's Claude models: priced as their makers price them.
    const providerId = name.startsWith('claude') ? 'anthropic' : 'google';
    const names = new Set([name]);
    let base = name;
    while (ANTIGRAVITY_SUFFIX.test(base)) {
      base = base.replace(ANTIGRAVITY_SUFFIX, '');
      names.add(base);
    }
    if (providerId === 'google') names.add(`${base}-preview`);
    return [...names].map((candidate) => ({ providerId, model: candidate }));
  }
  const providerId = kind === 'gemini' ? 'google' : kind === 'openai' || kind === 'anthropic' ? kind : undefined;
  // An OpenAI-compatible provider (DeepSeek, GLM...) is priced by the model's own maker when the table knows it.
  return providerId === undefined ? [{ providerId, model: name }] : [{ providerId, model: name }, { providerId: undefined, model: name }];
}

/**
 * The cost of a request in integer micro-USD: the operator's price when given, else the maintained price table
 * of @pydantic/genai-prices; null when neither knows the model (or there is no usage to price).
 */
export function requestCostMicroUsd(kind: ProviderKind, model: string, usage: TokenUsage | undefined, override?: PriceOverride | null): number | null {
  if (usage === undefined) return null;
  if (override) return overrideCostMicroUsd(override, usage);
  if (model === '') return null;
  const { cacheRead, cacheWrite } = promptParts(usage);
  const priced = {
    input_tokens: Math.max(0, usage.inputTokens),
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    output_tokens: Math.max(0, usage.outputTokens),
  };
  for (const lookup of priceLookups(kind, model)) {
    let result: ReturnType<typeof calcPrice> = null;
    try {
      result = calcPrice(priced, lookup.model, lookup.providerId === undefined ? {} : { providerId: lookup.providerId });
    } catch {
      // A usage the table refuses: unknown price, never a failed request.
    }
    if (result) return Math.round(result.total_price * 1_000_000);
  }
  return null;
}
