/** The value at or below which `p` percent of `values` fall (nearest rank). */
export function percentileOf(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const ordered = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * ordered.length);
  return ordered[Math.min(ordered.length, Math.max(1, rank)) - 1]!;
}

/** Whole milliseconds, with two decimals below 10 ms for figures finer than the wall clock's (kafkajs's event times are whole). */
export const ms = (value: number): string => `${value < 10 && !Number.isInteger(value) ? value.toFixed(2) : Math.round(value)} ms`;
