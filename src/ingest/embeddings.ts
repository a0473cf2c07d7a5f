import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';

/** The part of a transformers.js feature-extraction pipeline the embedder uses. */
export type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ tolist(): number[][] }>;

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
    const output = await this.caller.call(() => this.extractor([this.queryPrefix + text], { pooling: 'mean', normalize: true }));
    return output.tolist()[0]!;
  }
}
