/** Infrastructure of `--semantic`: embedded indexes with a retriever that can hide records, and engines per setting. */
import { AnswerEngine, type AskResponse } from '../../src/answer/answer-engine.js';
import type { SentenceEmbedder } from '../../src/answer/semantic-evidence.js';
import type { AbstractRecord } from '../../src/corpus/record.js';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import type { SearchIndex } from '../../src/ingest/index-store.js';
import type { LoadedModel } from '../../src/ingest/model-loader.js';
import type { SearchRequest, SearchResult } from '../../src/retrieve/retriever.js';
import { baseTokenizer, CachedRetriever, secondsSince, sharedTokenizer } from './cached-index.js';
import { log } from './format.js';
import { CHUNKING, K } from './settings.js';

/** One calibration of the semantic evidence step. */
export interface SemanticSetting {
  name: string;
  /** Absent = lexical evidence only (the engine without an embedder), same hybrid retrieval. */
  cosineFloor?: number;
  cosineCeiling?: number;
  languages?: 'cross' | 'all';
}

/**
 * A retriever that can hide records: the "unanswerable" run asks the same question with its gold record removed from
 * the results. Exact for the dense ranking; BM25 statistics still include the hidden record (a negligible idf change).
 */
class HidingRetriever extends CachedRetriever {
  hidden = new Set<string>();

  override async search(request: SearchRequest): Promise<SearchResult> {
    const result = await super.search({ ...request, k: request.k + this.hidden.size });
    const hits = result.hits.filter((hit) => !this.hidden.has(hit.record.id)).slice(0, request.k);
    return { ...result, hits };
  }
}

/** Memoises query and passage vectors by text: a sweep re-runs the real engine with no model calls. */
export function memoEmbedder(inner: SentenceEmbedder): SentenceEmbedder & { calls: number } {
  const queries = new Map<string, Promise<number[]>>();
  const passages = new Map<string, number[]>();
  const memo = {
    calls: 0,
    embedQuery(text: string) {
      if (!queries.has(text)) queries.set(text, inner.embedQuery(text));
      return queries.get(text)!;
    },
    async embedDocuments(texts: string[]) {
      const missing = [...new Set(texts.filter((t) => !passages.has(t)))];
      if (missing.length > 0) {
        memo.calls += missing.length;
        (await inner.embedDocuments(missing)).forEach((v, i) => passages.set(missing[i]!, v));
      }
      return texts.map((t) => passages.get(t)!);
    },
  };
  return memo;
}

/** An embedded index with its hiding retriever. */
export interface SemanticEnv {
  name: string;
  index: SearchIndex;
  retriever: HidingRetriever;
}

/** Builds a hybrid (lexical + embedded) index of the records as the product does. */
export async function buildSemanticEnv(name: string, records: AbstractRecord[], model: LoadedModel, embedder: SentenceEmbedder): Promise<SemanticEnv> {
  const started = performance.now();
  const { index } = await buildSearchIndex({ records, tokenizer: baseTokenizer, chunking: CHUNKING, model });
  log(`  index ${name}: ${records.length} records, ${index.chunks.length} chunks (embedded), ${secondsSince(started)} s`);
  return { name, index, retriever: new HidingRetriever(index, sharedTokenizer, embedder) };
}

/** The engine at a semantic setting (without an embedder for a lexical-only setting). */
export function semanticEngine(env: SemanticEnv, setting: SemanticSetting, embedder: SentenceEmbedder): AnswerEngine {
  const { name: _name, ...options } = setting;
  const withEmbedder = setting.cosineFloor === undefined ? {} : { embedder, ...options };
  return new AnswerEngine(env.retriever, sharedTokenizer, { defaultK: K, ...withEmbedder });
}

/** Asks a question with the given records hidden from retrieval. */
export async function askHiding(env: SemanticEnv, engine: AnswerEngine, question: string, hidden: string[] = []): Promise<AskResponse> {
  env.retriever.hidden = new Set(hidden);
  try {
    return await engine.ask({ question, k: K });
  } finally {
    env.retriever.hidden = new Set();
  }
}
