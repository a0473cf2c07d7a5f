/**
 * The longer fuzz run: the same property-based tests CI runs with a fixed seed and 1,000 cases, here with more
 * cases and a fresh seed each time (printed, so a failure reproduces with FUZZ_SEED=<seed>).
 *
 *   nice -n 10 node --import tsx bench/fuzz.ts [--runs 20000] [--seed random|<n>]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20000' }, seed: { type: 'string', default: 'random' } } });
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-fuzz-bench-'));
const report = path.join(dir, 'cases.jsonl');
const started = performance.now();
const run = spawnSync('npx', ['vitest', 'run', 'test/corpus/readers-fuzz.test.ts', 'test/server/ask-fuzz.test.ts'], {
  cwd: root,
  env: { ...process.env, FUZZ_RUNS: values.runs, FUZZ_SEED: values.seed, FUZZ_REPORT: report },
  encoding: 'utf8',
  // Each property may take a while at 20,000 cases.
  timeout: 3 * 60 * 60 * 1000,
});
const seconds = (performance.now() - started) / 1000;
let lines: Array<{ name: string; cases: number; seed: number }> = [];
try {
  lines = readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
} catch {
  // No property finished.
}
rmSync(dir, { recursive: true, force: true });
console.log(`fuzz: ${values.runs} cases per property, seed ${lines[0]?.seed ?? values.seed}, ${seconds.toFixed(0)} s`);
for (const line of lines) console.log(`  ${line.name.padEnd(16)} ${line.cases} cases, 0 escaped`);
// The plain summary line of test/support/plain-summary-reporter.ts.
const failed = /tests: \d+ passed, (\d+) failed/.exec(run.stdout)?.[1] ?? '?';
console.log(`properties passed: ${lines.length}; failed: ${failed}${run.status === 0 ? '' : ` (vitest exit ${run.status}; see output below)`}`);
if (run.status !== 0) console.log(run.stdout.slice(-4000));
process.exitCode = run.status ?? 1;
