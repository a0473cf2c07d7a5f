/**
 * Infrastructure: cached retrieval and tokenization over real indexes, so a sweep re-runs only the engine's own
 * decisions.
 */
import type { AbstractRecord } from '../../src/corpus/record.js';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import type { SearchIndex } from '../../src/ingest/index-store.js';
import { Retriever, type SearchRequest, type SearchResult } from '../../src/retrieve/retriever.js';
import { createTokenizer, type Tokenizer } from '../../src/text/tokenize.js';
import { log } from './format.js';
import { CHUNKING } from './settings.js';

/**
 * A Retriever that answers a repeated request from memory. The sweep asks the same question under many engine
 * settings; retrieval does not depend on them, so it runs once per question and index.
 */
export class CachedRetriever extends Retriever {
  private readonly cache = new Map<string, Promise<SearchResult>>();

  override search(request: SearchRequest): Promise<SearchResult> {
    const key = JSON.stringify([request.query, request.k, request.filters ?? null, request.mode ?? null]);
    let result = this.cache.get(key);
    if (!result) {
      result = super.search(request);
      this.cache.set(key, result);
    }
    return result;
  }
}

/** Memoizes a pure tokenizer: evidence scoring re-tokenizes the same sentences for every setting of a sweep. */
function memoTokenizer(inner: Tokenizer): Tokenizer {
  const cache = new Map<string, string[]>();
  return {
    name: inner.name,
    tokenize(text: string): string[] {
      let terms = cache.get(text);
      if (!terms) cache.set(text, (terms = inner.tokenize(text)));
      return terms.slice(); // callers get their own array, as from the real tokenizer
    },
  };
}

/** The product's tokenizer, used to build indexes. */
export const baseTokenizer = createTokenizer();
/** The same tokenizer memoized, shared by every retriever and engine of the run. */
export const sharedTokenizer = memoTokenizer(baseTokenizer);

/** An index with its retriever, ready for engines of any setting. */
export interface Env {
  name: string;
  index: SearchIndex;
  retriever: CachedRetriever;
  tokenizer: Tokenizer;
}

/** Time since `started` (a performance.now() reading) in seconds, one decimal. */
export function secondsSince(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(1);
}

/** Builds a lexical index of the records as the product does, with a cached retriever. */
export async function buildEnv(name: string, records: AbstractRecord[]): Promise<Env> {
  const started = performance.now();
  const { index } = await buildSearchIndex({ records, tokenizer: baseTokenizer, chunking: CHUNKING });
  log(`  index ${name}: ${records.length} records, ${index.chunks.length} chunks, ${secondsSince(started)} s`);
  return { name, index, retriever: new CachedRetriever(index, sharedTokenizer), tokenizer: sharedTokenizer };
}
