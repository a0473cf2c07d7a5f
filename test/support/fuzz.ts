/**
 * Settings shared by the property-based (fast-check) tests. CI runs a fixed seed so a failure reproduces; the fuzz
 * bench (bench/fuzz.ts) runs many more cases with fresh seeds through the same tests.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

/** Cases per property. @default 1000 (FUZZ_RUNS overrides) */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/** Seed of every property. @default 20261127 (FUZZ_SEED overrides; `random` picks a fresh one) */
export const FUZZ_SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 20_261_127);

/** Per-test time limit: vitest's 60 s default scaled with the number of cases (the bench runs many more). */
export const FUZZ_TIMEOUT_MS = 120_000 * Math.max(1, FUZZ_RUNS / 1000);

/** fast-check parameters: fixed seed and run count; the failing case is shrunk and printed with its seed. */
export function fuzzParameters<T>(runs = FUZZ_RUNS): fc.Parameters<T> {
  return { numRuns: runs, seed: FUZZ_SEED, endOnFailure: false };
}

/** Adds a line `{name, cases, seed}` to FUZZ_REPORT (for the bench), when set. */
export function reportCases(name: string, cases: number): void {
  if (process.env.FUZZ_REPORT) appendFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ name, cases, seed: FUZZ_SEED })}\n`);
}

/**
 * Text that stresses a parser: arbitrary code points (lone surrogates included), arbitrary bytes decoded the way
 * corpus files are, and `seed` texts (real fixtures) cut, spliced and corrupted at random places.
 */
export function hostileText(seeds: readonly string[], decode: (bytes: Uint8Array) => string): fc.Arbitrary<string> {
  const anyText = fc.string({ unit: 'binary', maxLength: 1500 });
  const anyBytes = fc.uint8Array({ maxLength: 1500 }).map(decode);
  const lineNoise = fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', '\r', '\t', '"', ',', ';', '{', '}', '[', ']', '<', '>', '&', '\u0000', '\uFEFF', '  - ', 'ER  -', '%0 ', '%T ', 'AB  - ', 'TI  - ', 'PMID- '), fc.string({ maxLength: 20 })), { maxLength: 40 }).map((parts) => parts.join(''));
  if (seeds.length === 0) return fc.oneof(anyText, anyBytes, lineNoise);
  const mutated = fc
    .tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.oneof(anyText, lineNoise, fc.constant('')))
    .map(([seed, a, b, insert]) => {
      const at = a % (seed.length + 1);
      const cut = Math.min(seed.length, at + (b % 200));
      return seed.slice(0, at) + insert + seed.slice(cut);
    });
  const truncated = fc.tuple(fc.constantFrom(...seeds), fc.nat()).map(([seed, n]) => seed.slice(0, n % (seed.length + 1)));
  return fc.oneof({ arbitrary: mutated, weight: 4 }, { arbitrary: truncated, weight: 2 }, { arbitrary: anyText, weight: 1 }, { arbitrary: anyBytes, weight: 1 }, { arbitrary: lineNoise, weight: 2 });
}
