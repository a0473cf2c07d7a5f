/**
 * The index settings' defaults, in one place: src/config.ts (CHUNK_MAX_TOKENS, CHUNK_OVERLAP_TOKENS, SHORT_VECTORS,
 * SHORT_VECTOR_TOKENS, SENTENCE_VECTORS, HNSW_EF) and every module that takes them as options (chunking, index build, retriever, evaluation) read them here.
 */

/** Defaults of chunking and HNSW search. */
export const INDEX_DEFAULTS = {
  /** Largest chunk in estimated model tokens: E5 reads 512, the rest is room for the title and the prefix. */
  chunkMaxTokens: 380,
  /** Whole sentences repeated between neighbouring chunks, in estimated tokens. */
  chunkOverlapTokens: 60,
  /**
   * Short views embedded besides each record's chunks (see passage-views.ts): `none`, `lead` or `windows`. Windows of
   * 128 tokens: on SciFact dev hybrid nDCG@10 .734 → .741 and dense .671 → .689, where a lead vector (titles + first
   * sentences) gave nothing (.733 / .671); see bench/results/TUNING.md.
   */
  shortVectors: 'windows' as 'none' | 'lead' | 'windows',
  /** Largest short view in estimated tokens. */
  shortVectorTokens: 128,
  /**
   * Where the sentence vectors of the semantic evidence step are made: `index` (once per abstract, at build time;
   * ~1.5 KB per sentence on disk, read a few abstracts at a time) or `query` (per question, ~0.3–0.5 s of CPU for
   * each of the top abstracts not in its memory cache).
   */
  sentenceVectors: 'index' as 'index' | 'query',
  /** Characters of a sentence that the semantic evidence step embeds. */
  sentenceMaxChars: 400,
  /** HNSW search breadth, set after every load (hnswlib resets it to 10, which loses recall). */
  hnswEf: 100,
} as const;

/** The overlap actually used: at most half a chunk, so every chunk moves the window forward. */
export function effectiveOverlap(maxTokens: number, overlapTokens: number): number {
  return Math.min(overlapTokens, Math.floor(maxTokens / 2));
}
