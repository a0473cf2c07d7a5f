/**
 * Sweeps the cross-language fusion weight (`crossLexicalWeight`) on a dev split of the WMT zh↔en set in hybrid mode,
 * through the product's index build and Retriever, and prints R@1 and MRR@10 per query type for each weight. The
 * index is the one `npm run eval` caches (.cache/eval-index/<dataset>); query vectors are computed once and reused
 * across weights. A tuning tool: run it on dev only.
 *
 *   node --import tsx bench/tune-cross-language.ts [--data ../shared/data/wmt_biomed_zh_en] [--split dev] [--weights 0,0.1,…]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { loadEvalDataset, type EvalSplit } from '../src/eval/dataset.js';
import { buildEvalIndex } from '../src/eval/eval-index.js';
import { meanMetrics, scoreQuery } from '../src/eval/metrics.js';
import { loadEmbeddingModel, modelLoadOptions } from '../src/ingest/model-loader.js';
import { VectorCache } from '../src/ingest/vector-cache.js';
import { Retriever, type QueryEmbedder } from '../src/retrieve/retriever.js';
import { createTokenizer } from '../src/text/tokenize.js';
import { SHARED_DATA_DIR } from './support/shared-data.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(SHARED_DATA_DIR, 'wmt_biomed_zh_en') },
    split: { type: 'string', default: 'dev' },
    weights: { type: 'string', default: '0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8' },
  },
});
const dataset = await loadEvalDataset(path.resolve(values.data), values.split as EvalSplit);
const loaded = await loadEmbeddingModel(modelLoadOptions(loadConfig()));
if (!loaded.ok) throw new Error(`needs the embedding model: ${loaded.reason}`);
const model = loaded.model;
const tokenizer = createTokenizer();
const vectorCache = await VectorCache.open(loadConfig().vectorCacheDir, { modelId: model.modelId, dimension: model.dimension });
const { index } = await buildEvalIndex({
  records: dataset.documents,
  tokenizer,
  chunking: { maxTokens: 380, overlapTokens: 60 },
  model,
  cacheDir: path.resolve('.cache', 'eval-index', dataset.name),
  vectorCache,
});
await vectorCache.close();

const vectors = new Map<string, Promise<number[]>>();
const memoEmbedder: QueryEmbedder = {
  embedQuery: (text) => vectors.get(text) ?? (vectors.set(text, model.embeddings.embedQuery(text)), vectors.get(text)!),
};

console.log(`${dataset.name}/${dataset.split}, hybrid: R@1 (MRR@10; queries whose gold wins by less than .05 of fused score, or loses) per query type`);
for (const weight of values.weights.split(',').map(Number)) {
  const retriever = new Retriever(index, tokenizer, memoEmbedder, { crossLexicalWeight: weight });
  const groups = new Map<string, ReturnType<typeof scoreQuery>[]>();
  const margins = new Map<string, number[]>();
  for (const query of dataset.queries) {
    const result = await retriever.search({ query: query.query, k: 100, mode: 'hybrid', filters: query.targetLang ? { language: query.targetLang } : undefined });
    const gold = new Set(query.goldDocIds);
    const metrics = scoreQuery(result.hits.map((h) => h.record.id), gold, 10);
    groups.set(query.group, [...(groups.get(query.group) ?? []), metrics]);
    // How safely the gold abstract wins: its fused score minus the best other one (negative when it loses).
    const goldScore = result.hits.find((h) => gold.has(h.record.id))?.score ?? 0;
    const rival = result.hits.find((h) => !gold.has(h.record.id))?.score ?? 0;
    margins.set(query.group, [...(margins.get(query.group) ?? []), goldScore - rival]);
  }
  const cells = [...groups].sort().map(([group, list]) => {
    const m = meanMetrics(list);
    const margin = margins.get(group)!;
    const narrow = margin.filter((x) => x < 0.05).length;
    return `${group} ${m.recall1.toFixed(3)} (${m.mrr.toFixed(3)}; margin<.05: ${narrow})`;
  });
  console.log(`crossLexicalWeight ${weight.toFixed(2)}: ${cells.join('  ')}`);
}
