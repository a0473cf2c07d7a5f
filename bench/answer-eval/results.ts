/** Where reports go and what they record about the tree that produced them. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './data.js';
import { log } from './format.js';
import type { Setting } from './settings.js';

/** bench/results: every report of this bench is written there. */
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');

/** Path of a report in RESULTS_DIR, by file name. */
export function resultPath(fileName: string): string {
  return path.join(RESULTS_DIR, fileName);
}

/** Writes a report as pretty JSON into RESULTS_DIR; returns its path relative to the working directory. */
export function writeReport(fileName: string, report: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = resultPath(fileName);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  return path.relative(process.cwd(), out);
}

/** The lexical dev report, where a test run finds the settings chosen on dev. */
export function devReportPath(): string {
  return resultPath('answer-eval-dev.json');
}

/** The settings chosen on dev (without dev's own `--flags` setting), if the dev report exists. */
export function readDevSelection(): Record<string, Setting> {
  if (!existsSync(devReportPath())) {
    log('  no dev report: testing the engine defaults only (run --split dev first to calibrate)');
    return {};
  }
  const dev = JSON.parse(readFileSync(devReportPath(), 'utf8')) as { named?: Record<string, Setting>; limit?: number };
  if (dev.limit !== undefined) log(`  WARNING: the dev report is a smoke run (--limit ${dev.limit})`);
  const { flags: _devFlags, ...chosen } = dev.named ?? {};
  return chosen;
}

/** Commit and modified source files, so a figure can be traced to the code that produced it. */
export function treeState(): { commit: string; modified: string[] } {
  try {
    const cwd = REPO_ROOT;
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const modified = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    return { commit, modified };
  } catch {
    return { commit: 'unknown', modified: [] };
  }
}
