import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { LRUCache } from 'lru-cache';

/** The part of a transformers.js feature-extraction pipeline the embedder uses. */
export type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ tolist(): number[][] }>;

const RECENT_QUERIES = 256;

/** Options of {@link E5Embeddings}. */
export interface E5EmbeddingsOptions extends EmbeddingsParams {
  /** Texts per model call. @default 16 */
  batchSize?: number;
  /** Prepended to questions. @default 'query: ' */
  queryPrefix?: string;
  /** Prepended to passages. @default 'passage: ' */
  passagePrefix?: string;
}

/**
 * LangChain embeddings over a local transformers.js model, following the E5 recipe: `query: ` / `passage: `
 * prefixes, mean pooling over the attention mask, L2 normalisation (so cosine = dot product).
 * @community 1.x moved its transformers embeddings to @huggingface/transformers; this stays on @xenova/transformers.
 */
export class E5Embeddings extends Embeddings {
  readonly batchSize: number;
  readonly queryPrefix: string;
  readonly passagePrefix: string;
  /** Passages embedded since construction: lets ingest prove that only changed records were re-embedded. */
  passagesEmbedded = 0;
  /** Queries sent to the model (repeats within the cache are not). */
  queriesEmbedded = 0;
  // One /ask embeds its question for retrieval and again for semantic evidence; remembering recent queries makes
  // the second (and a user's repeated question) free.
  private readonly recentQueries = new LRUCache<string, number[]>({ max: RECENT_QUERIES });

  constructor(
    private readonly extractor: FeatureExtractor,
    options: E5EmbeddingsOptions = {},
  ) {
    super(options);
    this.batchSize = options.batchSize ?? 16;
    this.queryPrefix = options.queryPrefix ?? 'query: ';
    this.passagePrefix = options.passagePrefix ?? 'passage: ';
  }

  /** Embeds passages in batches; `onBatch` reports progress after each batch. */
  async embedDocuments(texts: string[], onBatch?: (done: number) => void): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize).map((text) => this.passagePrefix + text);
      const output = await this.caller.call(() => this.extractor(batch, { pooling: 'mean', normalize: true }));
      vectors.push(...output.tolist());
      this.passagesEmbedded += batch.length;
      onBatch?.(vectors.length);
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const cached = this.recentQueries.get(text);
    if (cached) return cached;
    const output = await this.caller.call(() => this.extractor([this.queryPrefix + text], { pooling: 'mean', normalize: true }));
    const vector = output.tolist()[0]!;
    this.queriesEmbedded++;
    this.recentQueries.set(text, vector);
    return vector;
  }
}
