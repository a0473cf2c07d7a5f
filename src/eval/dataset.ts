import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readCorpus } from '../corpus/read-corpus.js';
import { formatReadIssue, type AbstractRecord } from '../corpus/record.js';

/** Query splits every evaluation folder has. */
export type EvalSplit = 'dev' | 'test';

/** One evaluation query with its binary relevance judgements. */
export interface EvalQuery {
  id: string;
  query: string;
  /** Language of the query text. */
  lang: string;
  /** Relevant document ids (binary qrels). */
  goldDocIds: string[];
  /** Language the pool is restricted to (WMT's `meta.target_lang`: otherwise the query's own-language twin wins). */
  targetLang?: string;
  /** Reporting group, e.g. `keywords` (CSL) or `zh→en first_sentence` (WMT); `all` when the set has one kind. */
  group: string;
  meta: Record<string, unknown>;
  /** The data set's own answer, as it is (SciFact verdict and rationales, BioASQ ideal answer); metrics ignore it. */
  answer?: unknown;
}

/** A loaded evaluation folder. */
export interface EvalDataset {
  /** Folder name, e.g. `scifact`. */
  name: string;
  folder: string;
  split: EvalSplit;
  documents: AbstractRecord[];
  queries: EvalQuery[];
  /** Problems met while reading (skipped document lines, gold ids absent from the pool). */
  warnings: string[];
}

const querySchema = z.object({
  id: z.string().min(1),
  query: z.string().min(1),
  lang: z.string().min(1).optional(),
  gold_doc_ids: z.array(z.string().min(1)).min(1),
  meta: z.record(z.string(), z.unknown()).optional(),
  answer: z.unknown().optional(),
});

/**
 * Reads `<folder>/documents.jsonl` with the product's corpus reader (de-duplication off: dataset documents are
 * distinct items even when two share a text, and qrels point at their ids) and `<folder>/queries_<split>.jsonl`.
 * Only `documents.jsonl` is read as corpus, never the query files next to it.
 */
export async function loadEvalDataset(folder: string, split: EvalSplit): Promise<EvalDataset> {
  const documentsFile = path.join(folder, 'documents.jsonl');
  const queriesFile = path.join(folder, `queries_${split}.jsonl`);
  for (const file of [documentsFile, queriesFile]) {
    if (!existsSync(file)) throw new Error(`${file} not found: --data must be a folder with documents.jsonl and queries_${split}.jsonl`);
  }
  const corpus = await readCorpus([documentsFile], { root: folder, dedupe: false });
  const warnings = corpus.issues.map((issue) => formatReadIssue(issue));
  const queries = parseQueries(await readFile(queriesFile, 'utf8'), path.basename(queriesFile), warnings);
  const ids = new Set(corpus.records.map((r) => r.id));
  const missing = queries.flatMap((q) => q.goldDocIds.filter((id) => !ids.has(id)));
  if (missing.length > 0) warnings.push(`${missing.length} gold id(s) not in documents.jsonl, e.g. ${missing.slice(0, 3).join(', ')}`);
  return { name: path.basename(path.resolve(folder)), folder, split, documents: corpus.records, queries, warnings };
}

/** Parses a queries JSONL text; bad lines become warnings (`file:line: reason`). */
export function parseQueries(text: string, fileName: string, warnings: string[] = []): EvalQuery[] {
  const queries: EvalQuery[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: z.infer<typeof querySchema>;
    try {
      parsed = querySchema.parse(JSON.parse(line));
    } catch (error) {
      const reason = error instanceof z.ZodError ? error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') : (error as Error).message;
      warnings.push(`${fileName}:${i + 1}: skipped query (${reason})`);
      return;
    }
    const meta = parsed.meta ?? {};
    const lang = parsed.lang ?? 'und';
    const targetLang = typeof meta.target_lang === 'string' ? meta.target_lang : undefined;
    queries.push({ id: parsed.id, query: parsed.query, lang, goldDocIds: parsed.gold_doc_ids, targetLang, group: '', meta, answer: parsed.answer });
  });
  assignGroups(queries);
  return queries;
}

/**
 * Names each query's reporting group from its direction (when the pool language differs from the query's) and
 * `meta.query_type`. A set whose queries all share one group reports only `all`.
 */
function assignGroups(queries: EvalQuery[]): void {
  for (const q of queries) {
    const direction = q.targetLang && q.targetLang !== q.lang ? `${q.lang}→${q.targetLang}` : '';
    const type = typeof q.meta.query_type === 'string' ? q.meta.query_type : '';
    q.group = [direction, type].filter(Boolean).join(' ') || 'all';
  }
  if (new Set(queries.map((q) => q.group)).size <= 1) for (const q of queries) q.group = 'all';
}
