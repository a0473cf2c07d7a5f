/** Reading the benchmark data sets and the shipped corpus, as the product reads them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import type { AbstractRecord } from '../../src/corpus/record.js';
import { parseQueries, type EvalSplit } from '../../src/eval/dataset.js';
import { log } from './format.js';

/** The repository root (bench/answer-eval/../..). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** One query of a data set's queries_<split>.jsonl, as src/eval validates it. */
export interface QueryRow {
  id: string;
  query: string;
  gold_doc_ids: string[];
  meta: Record<string, unknown>;
  /** SciFact's verdict and rationale sentences per document; other sets' answers carry neither field. */
  answer?: { verdict?: string; evidence?: Record<string, { label: string; rationales: number[][] }> };
}

/** The abstracts of a data set folder (its documents.jsonl), logging how many had issues. */
export async function readDocuments(folder: string): Promise<AbstractRecord[]> {
  const file = path.join(folder, 'documents.jsonl');
  const corpus = await readCorpus([file], { root: folder, dedupe: false });
  if (corpus.issues.length > 0) log(`  ${corpus.issues.length} issue(s) reading ${file}`);
  return corpus.records;
}

/**
 * The queries of one split of a data set folder, read and validated by the evaluation's own reader
 * (src/eval/dataset.ts, zod): a malformed line is logged as `file:line: reason` and skipped, as `npm run eval` does.
 */
export function readQueries(folder: string, split: EvalSplit): QueryRow[] {
  const file = path.join(folder, `queries_${split}.jsonl`);
  const warnings: string[] = [];
  const queries = parseQueries(readFileSync(file, 'utf8'), path.basename(file), warnings);
  for (const warning of warnings) log(`  ${warning}`);
  return queries.map((q) => ({ id: q.id, query: q.query, gold_doc_ids: q.goldDocIds, meta: q.meta, answer: q.answer as QueryRow['answer'] }));
}

/** The records of the shipped corpus (corpus/), read as the product reads them. */
export async function readShippedCorpus(): Promise<AbstractRecord[]> {
  const root = path.join(REPO_ROOT, 'corpus');
  return (await readCorpus([root], { root })).records;
}
