/**
 * Retrieval quality of the OpenSearch backend next to the embedded one, in one run, on a public set (default
 * SciFact test): nDCG@10 / Recall@100 of lexical retrieval with BM25F (the product default) and per-field BM25.
 * The embedded side runs the product's own eval path (runEval → Retriever); the OpenSearch side ingests the same
 * documents with syncOpenSearchIndex (incremental: a rerun writes nothing) and ranks records by their best chunk
 * from the backend's lexical primitive, as the Retriever does in lexical mode.
 * Run: node --import tsx bench/opensearch-eval.ts [--url http://127.0.0.1:9200] [--data ../shared/data/scifact] [--split test]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEvalDataset, type EvalSplit } from '../src/eval/dataset.js';
import { meanMetrics, scoreQuery } from '../src/eval/metrics.js';
import { runEval } from '../src/eval/run-eval.js';
import { createOpenSearchClient, indexNames } from '../src/ingest/opensearch/connection.js';
import { syncOpenSearchIndex } from '../src/ingest/opensearch/sync-index.js';
import { OpenSearchBackend } from '../src/retrieve/opensearch-backend.js';
import { createTokenizer } from '../src/text/tokenize.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200' },
    data: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/data/scifact') },
    split: { type: 'string', default: 'test' },
  },
});
const dataset = await loadEvalDataset(path.resolve(values.data!), values.split as EvalSplit);
const tokenizer = createTokenizer();
const client = createOpenSearchClient({ url: values.url!, indexPrefix: 'eval', verifyTls: true });
const names = indexNames(`eval-${dataset.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`);
const ingest = await syncOpenSearchIndex({ client, names, records: dataset.documents, tokenizer, chunking: { maxTokens: 380, overlapTokens: 60 } });
console.log(`${dataset.name}/${dataset.split}: ${dataset.documents.length} documents, ${dataset.queries.length} queries; OpenSearch ingest ${ingest.tookMs} ms (${ingest.chunksWritten} chunks written)`);

const rows: string[] = ['backend     scoring  nDCG@10  R@100'];
for (const scoring of ['bm25f', 'bm25'] as const) {
  const embedded = await runEval({ dataset, mode: 'lexical', tokenizer, retriever: { scoring } });
  rows.push(`embedded    ${scoring.padEnd(7)}  ${embedded.overall.metrics.ndcg.toFixed(4)}   ${embedded.overall.metrics.recall100.toFixed(4)}`);
  const backend = await OpenSearchBackend.open(client, names, { scoring });
  const perQuery = [];
  for (const query of dataset.queries) {
    const terms = new Map<string, number>();
    for (const term of tokenizer.tokenize(query.query)) terms.set(term, (terms.get(term) ?? 0) + 1);
    const filters = query.targetLang ? { language: query.targetLang } : undefined;
    const records: string[] = [];
    for (const hit of await backend.lexical(terms, 200, filters)) if (!records.includes(hit.recordId)) records.push(hit.recordId);
    perQuery.push(scoreQuery(records.slice(0, 100), new Set(query.goldDocIds), 10));
  }
  const os = meanMetrics(perQuery);
  rows.push(`opensearch  ${scoring.padEnd(7)}  ${os.ndcg.toFixed(4)}   ${os.recall100.toFixed(4)}   (Δ nDCG@10 ${(os.ndcg - embedded.overall.metrics.ndcg).toFixed(4)})`);
}
console.log(rows.join('\n'));
await client.close();
