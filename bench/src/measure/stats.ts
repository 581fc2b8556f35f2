// Order statistics over plain samples: the percentile of one run's own samples (S4's stream client) and
// the median over repeated runs (every figure of the report).

/** The p-th percentile (0–100) by the nearest-rank method; NaN for no samples. `sorted` must be ascending. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** The median (mean of the middle two for an even count); NaN for none. NaN samples are ignored. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Ascending copy of a sample buffer, as percentile() wants it. */
export function sortedSamples(samples: ArrayLike<number>, count: number = samples.length): Float64Array {
  const copy = Float64Array.from({ length: count }, (_, i) => samples[i] as number);
  return copy.sort();
}
