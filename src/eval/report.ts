import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvalDataset } from './dataset.js';
import { METRIC_NAMES, type QueryMetrics } from './metrics.js';
import type { EvalResult, GroupResult } from './run-eval.js';
import { formatTrecQrels, formatTrecRun } from './trec.js';

/** The code version a result was produced with. */
export interface CodeVersion {
  /** `git rev-parse --short HEAD`, or `unknown` outside a git checkout. */
  commit: string;
  /** Uncommitted changes under `src/` at run time: the figures may not be reproducible from `commit` alone. */
  dirty: boolean;
}

/** The JSON report written next to the run file. */
export interface EvalReport {
  dataset: string;
  split: string;
  mode: string;
  commit: string;
  dirty: boolean;
  date: string;
  node: string;
  cutoff: number;
  queries: number;
  limitQueries?: number;
  overall: QueryMetrics;
  groups: Record<string, GroupResult>;
  settings: EvalResult['settings'];
  stats: EvalResult['stats'];
  warnings: string[];
  /** Per-query figures, only when asked for (`--per-query`): for cross-checking with other tools. */
  perQuery?: Record<string, QueryMetrics>;
}

/** Reads the commit and whether `src/` has uncommitted changes (never fails: no git means `unknown`). */
export function codeVersion(cwd = process.cwd()): CodeVersion {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

/**
 * Assembles the JSON report of a run.
 * @param options.perQuery include each query's figures. @default false
 */
export function buildReport(
  dataset: EvalDataset,
  result: EvalResult,
  version: CodeVersion,
  options: { limitQueries?: number; perQuery?: boolean } = {},
): EvalReport {
  const { limitQueries } = options;
  return {
    dataset: dataset.name,
    split: dataset.split,
    mode: result.mode,
    commit: version.commit,
    dirty: version.dirty,
    date: new Date().toISOString(),
    node: process.version,
    cutoff: result.cutoff,
    queries: result.overall.queries,
    ...(limitQueries ? { limitQueries } : {}),
    overall: result.overall.metrics,
    groups: result.groups,
    settings: result.settings,
    stats: result.stats,
    warnings: dataset.warnings,
    ...(options.perQuery ? { perQuery: Object.fromEntries(result.perQuery.map((q) => [q.queryId, q.metrics])) } : {}),
  };
}

/** Output files of one run. */
export interface WrittenFiles {
  report: string;
  run: string;
  qrels: string;
}

/**
 * Writes `<dataset>_<split>_<mode>[_<tag>].json` (the report), `.trec` (the run) and `.qrels` (the judgements
 * of the evaluated queries) to `dir`, so any TREC tool can recompute the figures from the same files.
 */
export async function writeResults(dir: string, dataset: EvalDataset, result: EvalResult, report: EvalReport, tag?: string): Promise<WrittenFiles> {
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, [dataset.name, dataset.split, result.mode, tag].filter(Boolean).join('_'));
  const evaluated = new Set(result.runs.map((r) => r.queryId));
  const files = { report: `${base}.json`, run: `${base}.trec`, qrels: `${base}.qrels` };
  await Promise.all([
    writeFile(files.report, `${JSON.stringify(report, null, 2)}\n`),
    writeFile(files.run, formatTrecRun(result.runs, `abstract-qa-${result.mode}`)),
    writeFile(files.qrels, formatTrecQrels(dataset.queries.filter((q) => evaluated.has(q.id)))),
  ]);
  return files;
}

const HEADERS: Record<(typeof METRIC_NAMES)[number], (cutoff: number) => string> = {
  ndcg: (k) => `nDCG@${k}`,
  recall1: () => 'R@1',
  recall10: () => 'R@10',
  recall100: () => 'R@100',
  mrr: (k) => `MRR@${k}`,
};

/** A plain-text table of the overall and per-group figures, for the terminal. */
export function formatSummary(report: EvalReport): string {
  const header = ['group', 'queries', ...METRIC_NAMES.map((m) => HEADERS[m](report.cutoff))];
  const row = (name: string, g: { queries: number; metrics: QueryMetrics }) => [
    name,
    String(g.queries),
    ...METRIC_NAMES.map((m) => g.metrics[m].toFixed(4)),
  ];
  const rows = [row('overall', { queries: report.queries, metrics: report.overall })];
  const groupNames = Object.keys(report.groups);
  if (groupNames.length > 1) for (const name of groupNames) rows.push(row(name, report.groups[name]!));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const title =
    `${report.dataset} ${report.split} ${report.mode}${report.settings.backend === 'opensearch' ? ' on OpenSearch' : ''} — ${report.settings.tokenizer}` +
    `${report.settings.model ? `, ${report.settings.model}` : ''} — commit ${report.commit}${report.dirty ? '+dirty' : ''}`;
  const speed = `${report.stats.queriesPerSecond.toFixed(1)} queries/s (search only), index built in ${(report.stats.indexMs / 1000).toFixed(1)} s`;
  return [title, line(header), ...rows.map(line), speed].join('\n');
}
