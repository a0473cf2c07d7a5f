/** Reading the benchmark data sets and the shipped corpus, as the product reads them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import type { AbstractRecord } from '../../src/corpus/record.js';
import { log } from './format.js';

/** The repository root (bench/answer-eval/../..). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** One query of a data set's queries_<split>.jsonl. */
export interface QueryRow {
  id: string;
  query: string;
  gold_doc_ids: string[];
  answer?: { verdict?: string; evidence?: Record<string, { label: string; rationales: number[][] }> };
}

/** The abstracts of a data set folder (its documents.jsonl), logging how many had issues. */
export async function readDocuments(folder: string): Promise<AbstractRecord[]> {
  const file = path.join(folder, 'documents.jsonl');
  const corpus = await readCorpus([file], { root: folder, dedupe: false });
  if (corpus.issues.length > 0) log(`  ${corpus.issues.length} issue(s) reading ${file}`);
  return corpus.records;
}

/** The queries of one split of a data set folder. */
export function readQueries(folder: string, split: string): QueryRow[] {
  return readFileSync(path.join(folder, `queries_${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as QueryRow);
}

/** The records of the shipped corpus (corpus/), read as the product reads them. */
export async function readShippedCorpus(): Promise<AbstractRecord[]> {
  const root = path.join(REPO_ROOT, 'corpus');
  return (await readCorpus([root], { root })).records;
}
