/**
 * Calibrates (dev) or measures (test) the same-language semantic evidence of issue #9 item 5, with the real model
 * and hybrid retrieval, through the product's AnswerEngine:
 * - PubMedQA (the whole 1,000-abstract pool): each question of the split asked with its abstract present (answered?
 *   gold cited first?) and with it removed from the results (refused?), as bench/answer-eval.ts does lexically;
 * - the shipped corpus: off-topic questions in both languages (all must be refused), on-topic ones, English
 *   paraphrases whose abstract is in the corpus (they should be answered) and Chinese questions over English abstracts.
 * Each row is one English same-language calibration (`sameLanguage.en` of SemanticEvidence), given by the cosine at
 * which a sentence grounds an answer (floor + minCoverage × width, width 0.08); `none` is the engine without it.
 *
 *   node --import tsx bench/same-language-calibration.ts --split dev|test [--grounding 0.86,0.88] [--limit N]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AnswerEngine, type AskResponse } from '../src/answer/answer-engine.js';
import type { CosineCalibration, SentenceEmbedder } from '../src/answer/semantic-evidence.js';
import { loadConfig } from '../src/config.js';
import type { AbstractRecord } from '../src/corpus/record.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { loadEvalDataset, type EvalSplit } from '../src/eval/dataset.js';
import { buildEvalIndex } from '../src/eval/eval-index.js';
import type { SearchIndex } from '../src/ingest/index-store.js';
import { loadEmbeddingModel, modelLoadOptions } from '../src/ingest/model-loader.js';
import { VectorCache } from '../src/ingest/vector-cache.js';
import { Retriever, type SearchRequest, type SearchResult } from '../src/retrieve/retriever.js';
import { createTokenizer } from '../src/text/tokenize.js';
import { CROSS_LINGUAL, OFF_TOPIC, ON_TOPIC, PARAPHRASED } from './answer-eval/sanity-questions.js';
import { SHARED_DATA_DIR } from './support/shared-data.js';

const { values } = parseArgs({
  options: {
    split: { type: 'string', default: 'dev' },
    grounding: { type: 'string' },
    limit: { type: 'string' },
    data: { type: 'string', default: SHARED_DATA_DIR },
  },
});
const split = values.split as EvalSplit;
const WIDTH = 0.08;
const grid = (values.grounding ?? (split === 'dev' ? '0.84,0.85,0.86,0.87,0.88,0.89,0.9' : '0.87')).split(',').map(Number);

/** Hides records from the results: the "abstract removed" run asks the same question without its gold. */
class HidingRetriever extends Retriever {
  hidden = new Set<string>();
  private readonly cache = new Map<string, Promise<SearchResult>>();
  override async search(request: SearchRequest): Promise<SearchResult> {
    const key = JSON.stringify([request.query, request.k]);
    if (!this.cache.has(key)) this.cache.set(key, super.search({ ...request, k: request.k + 1 }));
    const result = await this.cache.get(key)!;
    return { ...result, hits: result.hits.filter((hit) => !this.hidden.has(hit.record.id)).slice(0, request.k) };
  }
}

const config = loadConfig();
const loaded = await loadEmbeddingModel(modelLoadOptions(config));
if (!loaded.ok) throw new Error(`needs the embedding model: ${loaded.reason}`);
const model = loaded.model;
const embedder = memoEmbedder(model.embeddings);
const tokenizer = createTokenizer();

async function env(records: AbstractRecord[], cache: string): Promise<{ index: SearchIndex; retriever: HidingRetriever }> {
  const vectorCache = await VectorCache.open(config.vectorCacheDir, { modelId: model.modelId, dimension: model.dimension });
  const { index } = await buildEvalIndex({
    records,
    tokenizer,
    chunking: { maxTokens: config.chunkMaxTokens, overlapTokens: config.chunkOverlapTokens },
    model,
    cacheDir: path.resolve('.cache', 'eval-index', cache),
    vectorCache,
  }).finally(() => vectorCache.close());
  return { index, retriever: new HidingRetriever(index, tokenizer, embedder) };
}

const pubmedqa = await loadEvalDataset(path.join(values.data, 'pubmedqa_pqal'), split);
const questions = pubmedqa.queries.slice(0, values.limit ? Number(values.limit) : undefined);
const pubmed = await env(pubmedqa.documents, 'pubmedqa_pqal');
const corpusDir = path.resolve('corpus');
const shipped = await env((await readCorpus([corpusDir], { root: corpusDir })).records, 'bilingual-dev');
console.log(`PubMedQA ${split}: ${questions.length} questions over ${pubmedqa.documents.length} abstracts; shipped corpus: ${shipped.index.records.length} records`);

const pct = (x: number, n: number) => `${((100 * x) / n).toFixed(1)}%`;
for (const grounding of [undefined, ...grid]) {
  const sameLanguage: Partial<Record<'en' | 'zh', CosineCalibration>> = grounding === undefined ? {} : { en: { floor: grounding - WIDTH / 2, ceiling: grounding + WIDTH / 2 } };
  const engineOf = (e: typeof pubmed) => new AnswerEngine(e.retriever, tokenizer, { embedder, sameLanguage });
  const ask = async (e: typeof pubmed, question: string, hidden: string[] = []): Promise<AskResponse> => {
    e.retriever.hidden = new Set(hidden);
    return engineOf(e).ask({ question });
  };
  let answered = 0;
  let first = 0;
  let refused = 0;
  for (const q of questions) {
    const present = await ask(pubmed, q.query);
    answered += Number(present.grounded);
    first += Number(present.grounded && q.goldDocIds.includes(present.citations[0]!.id));
    refused += Number(!(await ask(pubmed, q.query, q.goldDocIds)).grounded);
  }
  const n = questions.length;
  const offAnswered = [];
  for (const q of OFF_TOPIC) if ((await ask(shipped, q)).grounded) offAnswered.push(q);
  const count = async (list: readonly string[]) => (await Promise.all(list.map((q) => ask(shipped, q)))).filter((a) => a.grounded).length;
  const paraphrased = [];
  for (const { question, gold } of PARAPHRASED) {
    const a = await ask(shipped, question);
    paraphrased.push(`${a.grounded ? 'answered' : 'refused'}${a.citations[0]?.id === gold ? '' : ' (other first)'}`);
  }
  console.log(
    `${grounding === undefined ? 'none' : `en grounds at ${grounding.toFixed(3)}`}: PubMedQA answered ${pct(answered, n)} (gold first ${pct(first, n)}), refused without ${pct(refused, n)}, ` +
      `balanced ${pct((answered + refused) / 2, n)} | off-topic refused ${OFF_TOPIC.length - offAnswered.length}/${OFF_TOPIC.length}${offAnswered.length ? ` (answered: ${offAnswered.join(' | ')})` : ''} | ` +
      `on-topic answered ${await count(ON_TOPIC)}/${ON_TOPIC.length} | paraphrased answered ${paraphrased.filter((p) => p === 'answered').length}/${PARAPHRASED.length} [${paraphrased.join(', ')}] | cross-lingual answered ${await count(CROSS_LINGUAL)}/${CROSS_LINGUAL.length}`,
  );
}

/** Memoises query and sentence vectors by text, so the grid re-runs the real engine without model calls. */
function memoEmbedder(inner: SentenceEmbedder): SentenceEmbedder {
  const queries = new Map<string, Promise<number[]>>();
  const passages = new Map<string, number[]>();
  return {
    embedQuery: (text) => queries.get(text) ?? (queries.set(text, inner.embedQuery(text)), queries.get(text)!),
    async embedDocuments(texts) {
      const missing = [...new Set(texts.filter((t) => !passages.has(t)))];
      if (missing.length > 0) (await inner.embedDocuments(missing)).forEach((v, i) => passages.set(missing[i]!, v));
      return texts.map((t) => passages.get(t)!);
    },
  };
}
