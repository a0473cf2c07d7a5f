/** Console output and the number formatting every figure of the bench goes through. */

/** Prints one line of the run's log. */
export function log(message: string): void {
  console.log(message);
}

/** A proportion as a percentage, one decimal, padded to five characters for the tables. */
export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}`.padStart(5);
}

/** Rounds to `digits` decimals (4 by default): the precision of every reported figure. */
export const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** a / b rounded, 0 when b is 0. */
export const ratio = (a: number, b: number) => (b === 0 ? 0 : round(a / b));

/** Wilson 95% interval of a proportion, so test figures carry their uncertainty. */
export function wilson(successes: number, n: number): [number, number] {
  if (n === 0) return [0, 0];
  const z = 1.96;
  const p = successes / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [round(centre - half), round(centre + half)];
}

/** The value at quantile p of an ascending list (nearest rank below), undefined for an empty list. */
export function quantileOf(sorted: number[], p: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** p10/p25/p50/p75/p90 of a list of scores, rounded to 3 decimals (0 for an empty list). */
export function quantiles(values: number[]): Record<string, number> {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => round(quantileOf(sorted, p) ?? 0, 3);
  return { p10: at(0.1), p25: at(0.25), p50: at(0.5), p75: at(0.75), p90: at(0.9) };
}
