/**
 * `npm run eval -- --data <folder> --split dev|test [--mode lexical|dense|hybrid] [--k 10]`: indexes the folder's
 * documents.jsonl into a temporary in-memory index with the product's code, runs queries_<split>.jsonl, prints
 * nDCG@k, Recall@1/10/100, MRR@k and queries/s, and writes a JSON report, a TREC run and qrels to bench/results/.
 * Run with `--help` for the tuning flags.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { loadEvalDataset, type EvalSplit } from '../eval/dataset.js';
import { parseEvalFlags, tokenizerFor } from '../eval/flags.js';
import { buildReport, codeVersion, formatSummary, writeResults } from '../eval/report.js';
import { runEval } from '../eval/run-eval.js';
import { loadEmbeddingModel, modelLoadOptions, type LoadedModel } from '../ingest/model-loader.js';
import { VectorCache } from '../ingest/vector-cache.js';
import { runCli } from './run-cli.js';
import { createProgressReporter } from './progress.js';

const USAGE = `usage: npm run eval -- --data <folder> --split dev|test [options]
  --mode lexical|dense|hybrid   retrieval mode (default lexical; dense/hybrid need the model)
  --k N                         cutoff of nDCG and MRR (default 10); 100 records are always retrieved for R@100
  --limit-queries N             evaluate only the first N queries
  --model-dir DIR               local model root (default MODEL_DIR); the model id comes from EMBEDDING_MODEL
  --index-cache DIR             keep the embedded index between dense/hybrid runs (default .cache/eval-index/<dataset>);
                                --no-cache embeds into memory only
  --vector-cache DIR            passage vectors by text, reused by either backend (default VECTOR_CACHE_DIR)
  --backend embedded|opensearch search the in-memory index (default) or ingest into OPENSEARCH_URL, index prefix
                                <OPENSEARCH_INDEX>-eval-<dataset> (incremental: a rerun writes nothing), and search it
  --out DIR                     where reports go (default bench/results); --no-write writes nothing
  --tag NAME                    suffix of the output file names
  --per-query                   add each query's figures to the JSON report (for cross-checking)
  tuning: --zh words|bigrams|none|whitespace  --no-stem  --scoring bm25|bm25f  --k1 X  --b X  --fields title=1.5,keywords=1,body=1
          --fusion rrf|normalized  --lexical-weight X  --candidates N  --ef N  --chunk-tokens N  --chunk-overlap N
          short views: --short-vectors none|lead|windows  --short-tokens N (see passage-views.ts)
          cross-language: --cross-lexical-weight X  --cross-offset X  --no-translate (no dictionary translation)`;

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      split: { type: 'string' },
      mode: { type: 'string', default: 'lexical' },
      k: { type: 'string', default: '10' },
      'limit-queries': { type: 'string' },
      'model-dir': { type: 'string' },
      'index-cache': { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      'vector-cache': { type: 'string' },
      backend: { type: 'string', default: 'embedded' },
      out: { type: 'string', default: 'bench/results' },
      'no-write': { type: 'boolean', default: false },
      tag: { type: 'string' },
      'per-query': { type: 'boolean', default: false },
      zh: { type: 'string' },
      'no-stem': { type: 'boolean', default: false },
      k1: { type: 'string' },
      b: { type: 'string' },
      fields: { type: 'string' },
      fusion: { type: 'string' },
      scoring: { type: 'string' },
      'lexical-weight': { type: 'string' },
      'cross-lexical-weight': { type: 'string' },
      'cross-offset': { type: 'string' },
      'no-translate': { type: 'boolean', default: false },
      candidates: { type: 'string' },
      ef: { type: 'string' },
      'chunk-tokens': { type: 'string' },
      'chunk-overlap': { type: 'string' },
      'short-vectors': { type: 'string' },
      'short-tokens': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.data || (values.split !== 'dev' && values.split !== 'test')) throw new Error(`--data and --split dev|test are required\n${USAGE}`);
  // --model-dir wins over MODEL_DIR from the environment or .env, like any setting given on the command line.
  if (values['model-dir']) process.env.MODEL_DIR = values['model-dir'];
  const config = loadConfig();
  const flags = parseEvalFlags(values, { maxTokens: config.chunkMaxTokens, overlapTokens: config.chunkOverlapTokens, ef: config.hnswEf, shortVectors: config.shortVectors });

  const dataset = await loadEvalDataset(path.resolve(values.data), values.split as EvalSplit);
  for (const warning of dataset.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stderr.write(`${dataset.name}/${dataset.split}: ${dataset.documents.length} documents, ${dataset.queries.length} queries\n`);

  let model: LoadedModel | undefined;
  if (flags.mode !== 'lexical') {
    const loaded = await loadEmbeddingModel(modelLoadOptions(config));
    if (!loaded.ok) throw new Error(`--mode ${flags.mode} needs the embedding model: ${loaded.reason}`);
    model = loaded.model;
    process.stderr.write(`model ${model.modelId} (${model.dimension}-d) from ${model.source}\n`);
  }

  if (values.backend !== 'embedded' && values.backend !== 'opensearch') throw new Error(`--backend must be embedded or opensearch\n${USAGE}`);
  const cluster = values.backend === 'opensearch' ? { settings: { ...config.opensearch, indexPrefix: `${config.opensearch.indexPrefix}-eval-${dataset.name.toLowerCase()}` }, shards: config.opensearch.shards, replicas: config.opensearch.replicas } : undefined;
  const vectorCache = model ? await VectorCache.open(path.resolve(values['vector-cache'] ?? config.vectorCacheDir), { modelId: model.modelId, dimension: model.dimension }) : undefined;

  const progress = createProgressReporter();
  const result = await runEval({
    dataset,
    mode: flags.mode,
    cutoff: flags.cutoff,
    tokenizer: tokenizerFor(flags),
    retriever: flags.retriever,
    chunking: flags.chunking,
    model,
    limitQueries: flags.limitQueries,
    cluster,
    vectorCache,
    indexCacheDir: values['no-cache'] ? undefined : path.resolve(values['index-cache'] ?? path.join('.cache', 'eval-index', dataset.name)),
    onBuildProgress: (p) => progress.update(`index ${p.phase}`, p.done, p.total),
    onQueryProgress: (done, total) => progress.update('queries', done, total),
  });
  progress.stop();
  await vectorCache?.close();
  const report = buildReport(dataset, result, codeVersion(), { limitQueries: flags.limitQueries, perQuery: values['per-query'] });
  process.stdout.write(`${formatSummary(report)}\n`);
  if (!values['no-write']) {
    const files = await writeResults(path.resolve(values.out), dataset, result, report, values.tag);
    process.stderr.write(`wrote ${path.relative(process.cwd(), files.report)}, ${path.basename(files.run)}, ${path.basename(files.qrels)}\n`);
  }
});
