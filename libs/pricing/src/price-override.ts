import { z } from 'zod';

/**
 * An operator's price for a route or provider, in USD per million tokens; it replaces the price table's.
 * Cached reads and cache writes cost the input price when not given.
 */
export const priceOverrideSchema = z.strictObject({
  inputPerMTok: z.number().nonnegative().max(1_000_000),
  outputPerMTok: z.number().nonnegative().max(1_000_000),
  cachedInputPerMTok: z.number().nonnegative().max(1_000_000).optional(),
  cacheWritePerMTok: z.number().nonnegative().max(1_000_000).optional(),
});

export type PriceOverride = z.infer<typeof priceOverrideSchema>;

/** A stored override (the JSON text of a `price` column), or null when absent or not a valid override. */
export function parsePriceOverride(text: string | null | undefined): PriceOverride | null {
  if (!text) return null;
  try {
    const parsed = priceOverrideSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The stored form of an override (a `price` column): its JSON, or null for none. */
export function storePriceOverride(price: PriceOverride | null | undefined): string | null {
  return price ? JSON.stringify(price) : null;
}
