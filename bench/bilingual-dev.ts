/**
 * The bilingual dev set (bench/bilingual-dev/questions.jsonl), issue #9: Chinese questions over English abstracts
 * and English questions over Chinese ones, from three sources —
 * - `written`: questions written over the shipped corpus, asked over the shipped corpus;
 * - `wmt`: the first sentence of each WMT dev pair's original, asked over the shipped corpus plus the pair's other-language
 *   abstract (its own-language twin is left out: it is a translation of the gold, not a decoy), and
 * - `csl`: English questions written from withheld titles of CSL dev medicine abstracts (Chinese),
 *   both asked over one corpus: the shipped one + those 45 WMT abstracts + the 103 CSL dev medicine abstracts.
 * Asks each through the product's AnswerEngine and prints how often the right abstract is cited first and how often
 * the answer is grounded, per source and direction, in lexical mode and, when models/ has multilingual-e5-small, in
 * hybrid mode with semantic evidence; then the questions the two modes cite differently. A dev set: tune on it.
 *
 *   node --import tsx bench/bilingual-dev.ts [--lexical-only | --hybrid-only] [--cross-offset X[,Y…]] [--cross-lexical-weight X]
 *     [--data ../shared/data] [--source written|wmt|csl]
 * Several offsets run one after the other in hybrid mode, with query and sentence vectors computed once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AnswerEngine } from '../src/answer/answer-engine.js';
import type { SentenceEmbedder } from '../src/answer/semantic-evidence.js';
import { chunkingSettings, loadConfig } from '../src/config.js';
import type { AbstractRecord } from '../src/corpus/record.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { loadEvalDataset } from '../src/eval/dataset.js';
import { buildEvalIndex } from '../src/eval/eval-index.js';
import { loadEmbeddingModel, modelLoadOptions, type LoadedModel } from '../src/ingest/model-loader.js';
import { VectorCache } from '../src/ingest/vector-cache.js';
import { Retriever, type RetrieverOptions } from '../src/retrieve/retriever.js';
import { createTokenizer } from '../src/text/tokenize.js';
import { SHARED_DATA_DIR } from './support/shared-data.js';

interface DevQuestion {
  id: string;
  question: string;
  lang: 'en' | 'zh';
  gold: string;
  source: string;
}

const { values } = parseArgs({
  options: {
    'lexical-only': { type: 'boolean', default: false },
    'hybrid-only': { type: 'boolean', default: false },
    'cross-offset': { type: 'string' },
    'cross-lexical-weight': { type: 'string' },
    data: { type: 'string', default: SHARED_DATA_DIR },
    source: { type: 'string' },
  },
});
const offsets = values['cross-offset']?.split(',').map(Number) ?? [undefined];
const baseOptions: RetrieverOptions = values['cross-lexical-weight'] === undefined ? {} : { crossLexicalWeight: Number(values['cross-lexical-weight']) };
let retrieverOptions: RetrieverOptions = baseOptions;

const root = path.resolve(import.meta.dirname, '..');
const sourceOf = (q: { id: string }) => (q.id.startsWith('wmt-') ? 'wmt' : q.id.startsWith('csl-') ? 'csl' : 'written');
const questions = readFileSync(path.join(root, 'bench', 'bilingual-dev', 'questions.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as DevQuestion)
  .filter((q) => !values.source || sourceOf(q) === values.source);
const corpusDir = path.join(root, 'corpus');
const shipped = (await readCorpus([corpusDir], { root: corpusDir })).records;

/** The shipped corpus plus the WMT abstracts the questions point at and the CSL dev medicine abstracts. */
async function drawnCorpus(): Promise<AbstractRecord[]> {
  const wmtGold = new Set(questions.filter((q) => sourceOf(q) === 'wmt').map((q) => q.gold));
  const wmt = (await loadEvalDataset(path.join(values.data, 'wmt_biomed_zh_en'), 'dev')).documents.filter((d) => wmtGold.has(d.id));
  const csl = (await loadEvalDataset(path.join(values.data, 'csl_zh'), 'dev')).documents.filter((d) => d.id.startsWith('csl-dev-') && d.meta?.category === '医学');
  return [...shipped, ...wmt, ...csl];
}

const tokenizer = createTokenizer();
// The configured chunking (CHUNK_*, SHORT_VECTORS, SHORT_VECTOR_TOKENS), as the product builds its index.
const chunking = chunkingSettings(loadConfig());
const corpora = {
  written: { records: shipped, cache: 'bilingual-dev' },
  drawn: { records: questions.some((q) => sourceOf(q) !== 'written') ? await drawnCorpus() : [], cache: 'bilingual-dev-drawn' },
};

type Tally = { n: number; first: number; grounded: number };
const pct = (x: number, n: number) => `${((100 * x) / n).toFixed(1)}%`.padStart(6);

async function run(label: string, model?: LoadedModel, embedder?: SentenceEmbedder): Promise<Map<string, string>> {
  const citedFirst = new Map<string, string>();
  const tallies = new Map<string, Tally>();
  const misses: string[] = [];
  for (const [name, corpus] of Object.entries(corpora)) {
    const asked = questions.filter((q) => (sourceOf(q) === 'written') === (name === 'written'));
    if (asked.length === 0) continue;
    const cacheDir = path.join(root, '.cache', 'eval-index', corpus.cache);
    const vectorCache = model ? await VectorCache.open(loadConfig().vectorCacheDir, { modelId: model.modelId, dimension: model.dimension }) : undefined;
    const { index } = await buildEvalIndex({ records: corpus.records, tokenizer, chunking, model, cacheDir, vectorCache }).finally(() => vectorCache?.close());
    const engine = new AnswerEngine(new Retriever(index, tokenizer, embedder, retrieverOptions), tokenizer, { embedder });
    for (const q of asked) {
      const answer = await engine.ask({ question: q.question });
      const cited = answer.citations[0]?.id ?? 'nothing';
      citedFirst.set(q.id, `${cited}${answer.grounded ? '' : ' (refused)'}`);
      const first = cited === q.gold;
      const direction = q.lang === 'zh' ? 'zh→en' : 'en→zh';
      for (const key of [`${sourceOf(q)} ${direction}`, sourceOf(q), 'all']) {
        const t = tallies.get(key) ?? { n: 0, first: 0, grounded: 0 };
        tallies.set(key, { n: t.n + 1, first: t.first + Number(first), grounded: t.grounded + Number(answer.grounded) });
      }
      if (!first) misses.push(`  ${q.id} cited ${cited}: ${q.question.slice(0, 90)}`);
    }
  }
  console.log(`\n${label} (${model?.modelId ?? 'no model'}), ${questions.length} questions, ${JSON.stringify(retrieverOptions)}`);
  console.log('source / direction      n   right abstract cited first   grounded');
  for (const [key, t] of [...tallies].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a < b ? -1 : 1))) {
    console.log(`${key.padEnd(20)} ${String(t.n).padStart(4)}   ${pct(t.first, t.n)}                       ${pct(t.grounded, t.n)}`);
  }
  if (misses.length > 0) console.log(`not cited first:\n${misses.join('\n')}`);
  return citedFirst;
}

const lexical = values['hybrid-only'] ? undefined : await run('lexical');
if (!values['lexical-only']) {
  const loaded = await loadEmbeddingModel(modelLoadOptions(loadConfig()));
  if (!loaded.ok) console.log(`\nhybrid NOT RUN: ${loaded.reason}`);
  else {
    const embedder = memoEmbedder(loaded.model.embeddings);
    let hybrid = new Map<string, string>();
    for (const offset of offsets) {
      retrieverOptions = offset === undefined ? baseOptions : { ...baseOptions, crossLanguageOffset: offset };
      hybrid = await run('hybrid + semantic evidence', loaded.model, embedder);
    }
    if (lexical && offsets.length === 1) {
      const diff = questions.filter((q) => lexical.get(q.id) !== hybrid.get(q.id));
      console.log(`\ncited first differently (gold | lexical | hybrid):`);
      for (const q of diff) console.log(`  ${q.id} ${q.gold} | ${lexical.get(q.id)} | ${hybrid.get(q.id)}`);
    }
  }
}

/** Memoises query and sentence vectors by text (the engine embeds one record's sentences per call, kept so here). */
function memoEmbedder(inner: SentenceEmbedder): SentenceEmbedder {
  const queries = new Map<string, Promise<number[]>>();
  const documents = new Map<string, Promise<number[][]>>();
  return {
    embedQuery: (text) => queries.get(text) ?? (queries.set(text, inner.embedQuery(text)), queries.get(text)!),
    embedDocuments: (texts) => {
      const key = JSON.stringify(texts);
      return documents.get(key) ?? (documents.set(key, inner.embedDocuments(texts)), documents.get(key)!);
    },
  };
}
