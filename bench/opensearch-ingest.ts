/**
 * OpenSearch ingest and query figures on a public set (default SciFact, 5,183 abstracts), against a running node
 * or cluster (scripts/opensearch up): chunks/s for a lexical-only ingest and for one carrying 384-d vectors (taken
 * as given, as when they come from the embedding cache: the model's own time is measured by
 * bench/embedding-throughput.ts), a re-run (nothing to write), on-disk size per chunk, and BM25 / k-NN latency.
 * The vectors are synthetic (deterministic from the text hash): indexing and search cost depend on their width,
 * not on their meaning.
 * Run: node --import tsx bench/opensearch-ingest.ts [--url http://127.0.0.1:9200] [--data ../shared/data/scifact]
 *      [--shards 1] [--replicas 0] [--queries 200] [--records N] [--keep]
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEvalDataset } from '../src/eval/dataset.js';
import { createOpenSearchClient, indexNames } from '../src/ingest/opensearch/connection.js';
import { deleteIndexes } from '../src/ingest/opensearch/layout.js';
import { syncOpenSearchIndex } from '../src/ingest/opensearch/sync-index.js';
import { OpenSearchBackend } from '../src/retrieve/opensearch-backend.js';
import { createTokenizer } from '../src/text/tokenize.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200' },
    data: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/data/scifact') },
    shards: { type: 'string', default: '1' },
    replicas: { type: 'string', default: '0' },
    queries: { type: 'string', default: '200' },
    dimension: { type: 'string', default: '384' },
    keep: { type: 'boolean', default: false },
    records: { type: 'string' },
  },
});
const dimension = Number(values.dimension);
const client = createOpenSearchClient({ url: values.url!, indexPrefix: 'bench', verifyTls: true });
const dataset = await loadEvalDataset(path.resolve(values.data!), 'test');
const records = values.records ? dataset.documents.slice(0, Number(values.records)) : dataset.documents;
const tokenizer = createTokenizer();
const chunking = { maxTokens: 380, overlapTokens: 60 };
const shape = { shards: Number(values.shards), replicas: Number(values.replicas) };
console.log(`${dataset.name}: ${records.length} records → ${values.url} (${shape.shards} shard(s), ${shape.replicas} replica(s))`);

const syntheticVectors = async (texts: string[]) => texts.map(pseudoVector);
for (const withVectors of [false, true]) {
  const names = indexNames(`bench-ingest-${withVectors ? 'vectors' : 'lexical'}`);
  await deleteIndexes(client, names);
  const model = withVectors ? { modelId: 'synthetic', dimension, vectors: syntheticVectors } : undefined;
  const first = await syncOpenSearchIndex({ client, names, records, tokenizer, chunking, model, ...shape });
  const again = await syncOpenSearchIndex({ client, names, records, tokenizer, chunking, model, ...shape });
  await client.indices.forcemerge({ index: names.chunks, max_num_segments: 1 } as never).catch(() => undefined);
  const stats = await client.indices.stats({ index: names.chunks, metric: 'store' } as never);
  const store = (stats.body as { _all: { primaries: { store: { size_in_bytes: number } }; total: { store: { size_in_bytes: number } } } })._all;
  const label = withVectors ? `with ${dimension}-d vectors` : 'lexical only';
  console.log(
    `ingest ${label}: ${first.chunksWritten} chunks in ${(first.tookMs / 1000).toFixed(1)} s = ${Math.round(first.chunksWritten / (first.tookMs / 1000))} chunks/s; ` +
      `re-run ${again.tookMs} ms (${again.chunksWritten} written); primary store ${(store.primaries.store.size_in_bytes / 2 ** 20).toFixed(1)} MB ` +
      `= ${Math.round(store.primaries.store.size_in_bytes / first.chunksWritten)} B/chunk (force-merged), total ${(store.total.store.size_in_bytes / 2 ** 20).toFixed(1)} MB`,
  );
  const backend = await OpenSearchBackend.open(client, names);
  const queries = dataset.queries.slice(0, Number(values.queries));
  const lexical = await timeEach(queries, async (q) => {
    const terms = new Map<string, number>();
    for (const term of tokenizer.tokenize(q.query)) terms.set(term, (terms.get(term) ?? 0) + 1);
    await backend.lexical(terms, 200);
  });
  console.log(`  BM25 top-200 (${queries.length} queries, sequential): ${summary(lexical)}`);
  if (withVectors) {
    const dense = await timeEach(queries, (q) => backend.dense(pseudoVector(q.query), 200));
    console.log(`  k-NN top-200 (lucene HNSW, ef = 200): ${summary(dense)}`);
    const filtered = await timeEach(queries, (q) => backend.dense(pseudoVector(q.query), 200, { language: 'en', yearFrom: 1900 }));
    console.log(`  k-NN top-200 with a filter inside the k-NN query: ${summary(filtered)}`);
  }
  if (!values.keep) await deleteIndexes(client, names);
}
await client.close();

function pseudoVector(text: string): number[] {
  const seed = createHash('sha256').update(text).digest();
  const vector = Array.from({ length: dimension }, (_, i) => seed[i % 32]! / 255 - 0.5 + Math.sin(i * (seed[(i * 7) % 32]! + 1)) * 0.1);
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
}

async function timeEach<T>(items: T[], run: (item: T) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await run(item);
    times.push(performance.now() - started);
  }
  return times;
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`;
}
