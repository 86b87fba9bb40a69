/** Min, median and max of repeated measurements. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly n: number;
}

/** The spread of some measurements; throws on none, so that a missing figure is never a zero. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("spread of no measurements");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]!, n: sorted.length };
}

/** `median (min–max)` with a unit, e.g. `12.1 s (11.8–13.0)`. */
export function formatSpread(s: Spread, digits: number, unit: string): string {
  const f = (v: number) => v.toFixed(digits);
  return `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)}, n=${s.n})`;
}
