import type { Client } from '@opensearch-project/opensearch';
import type { IndexSettings } from '../manifest.js';
import type { IndexNames } from './connection.js';

/** Version of the OpenSearch layout below; a different one makes ingest rebuild both indexes. */
export const OPENSEARCH_LAYOUT_VERSION = 4;

/**
 * Field that marks a short view (see passage-views.ts) in the chunks index: a document holding only a vector and
 * the filter fields, standing for the chunk it names. Lexical queries never match it (it has no terms); dense hits
 * on it count for its chunk; chunk counts leave it out. No layout change: an index created before the field existed
 * has no views (its `_meta` has no `shortVectors`), and turning views on rebuilds it with the field mapped.
 */
export const VIEW_FIELD = 'view_of';

/** Query matching the chunks of the chunks index, not their short views. */
export const CHUNKS_ONLY = { bool: { must_not: { exists: { field: VIEW_FIELD } } } } as const;

/** What the chunks index was built with, kept in its mapping's `_meta`. */
export interface OpenSearchIndexMeta extends IndexSettings {
  layoutVersion: number;
}

/** Shards and replicas of new indexes. */
export interface IndexShape {
  /** @default 1 */
  shards?: number;
  /** @default 0 */
  replicas?: number;
}

/** Lexical fields: the terms our own tokenizer produced, joined by spaces, so OpenSearch only splits on spaces. */
export const TERM_FIELDS = { title: 'title_terms', keywords: 'keywords_terms', body: 'body_terms' } as const;

/**
 * BM25F on an engine without it (OpenSearch 2.x has no combined-fields query): one field holding every lexical
 * field's terms, each repeated in proportion to its weight (title 1.5 : keywords 1 : body 1 as 3 : 2 : 2), scored
 * with k1 doubled so that the doubled term frequencies saturate as BM25F's weighted ones do. Document frequency
 * is then over the union of the fields, as in BM25F; only length normalisation is per combined field rather than
 * per field. On SciFact this ranks like the embedded BM25F, where per-field BM25 lost .04 nDCG@10 (see README).
 */
export const COMBINED_FIELD = { name: 'all_terms', repeats: { title: 3, keywords: 2, body: 2 }, k1: 2.4, b: 0.75 } as const;

/** The k-NN engine this service requires; faiss and nmslib need native libraries the Maven build lacks. */
export const REQUIRED_ENGINE = 'lucene';

/** Thrown when an existing index does not have the layout this code writes and reads. */
export class OpenSearchLayoutError extends Error {
  override name = 'OpenSearchLayoutError';
}

const termField = { type: 'text', analyzer: 'whitespace', index_options: 'freqs' } as const;

/** Mapping of the chunks index; `dimension` null leaves the vector out (lexical-only ingest). */
export function chunksMapping(meta: OpenSearchIndexMeta): Record<string, unknown> {
  const dimension = meta.model?.dimension;
  return {
    dynamic: 'strict',
    _meta: meta,
    // The combined field's repeated terms are only for the inverted index, and a vector kept in _source is ~8 KB of
    // JSON per chunk next to its 1.5 KB in the k-NN files: keep both out of the stored source (the vector cache
    // holds the vectors should an index ever be rebuilt).
    _source: { excludes: [COMBINED_FIELD.name, 'vector'] },
    properties: {
      record_id: { type: 'keyword' },
      [VIEW_FIELD]: { type: 'keyword' },
      index: { type: 'integer' },
      start: { type: 'integer', index: false },
      end: { type: 'integer', index: false },
      text: { type: 'text', index: false },
      [TERM_FIELDS.title]: termField,
      [TERM_FIELDS.keywords]: termField,
      [TERM_FIELDS.body]: termField,
      [COMBINED_FIELD.name]: { ...termField, similarity: 'bm25f' },
      year: { type: 'integer' },
      // Lower-cased so the case-insensitive substring filter is a plain wildcard.
      journal: { type: 'keyword' },
      language: { type: 'keyword' },
      ...(dimension && {
        vector: {
          type: 'knn_vector',
          dimension,
          // Same graph parameters as the embedded hnswlib index (M 16, efConstruction 200), cosine like it.
          method: { name: 'hnsw', engine: REQUIRED_ENGINE, space_type: 'cosinesimil', parameters: { m: 16, ef_construction: 200 } },
        },
      }),
    },
  };
}

// Besides the record itself (stored, not indexed): what the library's list pages, filters and counts by.
const recordsMapping = {
  dynamic: 'strict',
  properties: {
    hash: { type: 'keyword' },
    chunks: { type: 'integer', index: false },
    record: { type: 'object', enabled: false },
    /** Place in the corpus as read: the list's order, as in the embedded index. */
    position: { type: 'integer' },
    /** Title and original title, folded (`foldText`), for the list's "title contains" filter. */
    folded_title: { type: 'keyword' },
    language: { type: 'keyword' },
    /** The journal as written (the embedded list's facet names), unlike the chunks' lower-cased filter field. */
    journal: { type: 'keyword' },
    year: { type: 'integer' },
    /**
     * The abstract's sentence vectors for the semantic evidence step (`encodeSentenceVectors`), when ingest made them
     * (`_meta.sentences`); stored, never searched. An index created before the field existed has no `sentences` in
     * its `_meta`, so asking for them rebuilds it with the field mapped.
     */
    sentence_vectors: { type: 'binary' },
  },
};

/** Creates both indexes with this layout. */
export async function createIndexes(client: Client, names: IndexNames, meta: OpenSearchIndexMeta, shape: IndexShape = {}): Promise<void> {
  const settings = { number_of_shards: shape.shards ?? 1, number_of_replicas: shape.replicas ?? 0 };
  await createOnce(client, {
    index: names.chunks,
    body: {
      settings: {
        index: { ...settings, knn: Boolean(meta.model), similarity: { bm25f: { type: 'BM25', k1: COMBINED_FIELD.k1, b: COMBINED_FIELD.b } } },
      },
      mappings: chunksMapping(meta),
    },
  });
  await createOnce(client, { index: names.records, body: { settings: { index: settings }, mappings: recordsMapping } });
}

// The client retries a create that timed out (a busy cluster); the retry then finds the index its first attempt made.
async function createOnce(client: Client, request: { index: string; body: unknown }): Promise<void> {
  try {
    await client.indices.create(request as never);
  } catch (error) {
    const type = (error as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type;
    if (type !== 'resource_already_exists_exception') throw error;
  }
}

/** Deletes both indexes (missing ones are fine). */
export async function deleteIndexes(client: Client, names: IndexNames): Promise<void> {
  await client.indices.delete({ index: [names.chunks, names.records], ignore_unavailable: true });
}

/**
 * Reads the `_meta` of an existing chunks index after checking that it can be used: its vectors (if any) must use
 * the lucene engine with cosine similarity. Returns undefined when the index does not exist.
 * @throws OpenSearchLayoutError naming the index, what it has and what to do
 */
export async function readIndexMeta(client: Client, names: IndexNames): Promise<OpenSearchIndexMeta | undefined> {
  const exists = await client.indices.exists({ index: names.chunks });
  if (!exists.body) return undefined;
  const response = await client.indices.getMapping({ index: names.chunks });
  const mapping = Object.values(response.body as Record<string, { mappings: MappingBody }>)[0]?.mappings ?? {};
  const vector = mapping.properties?.vector;
  if (vector) {
    const engine = vector.method?.engine ?? 'nmslib';
    if (engine !== REQUIRED_ENGINE) {
      throw new OpenSearchLayoutError(
        `OpenSearch index "${names.chunks}" stores vectors with the ${engine} engine; this service needs the ${REQUIRED_ENGINE} engine ` +
          `(faiss and nmslib need native libraries that k-NN from Maven does not have, and kill the node on the first write). ` +
          `Delete the index or set OPENSEARCH_INDEX to another prefix; ingest then creates it with ${REQUIRED_ENGINE}.`,
      );
    }
    if (vector.method?.space_type !== 'cosinesimil') {
      throw new OpenSearchLayoutError(`OpenSearch index "${names.chunks}" uses space_type ${vector.method?.space_type}; this service needs cosinesimil`);
    }
  }
  if (!mapping._meta || mapping._meta.layoutVersion === undefined) {
    throw new OpenSearchLayoutError(`OpenSearch index "${names.chunks}" was not created by Abstract QA (no _meta.layoutVersion); set OPENSEARCH_INDEX to another prefix`);
  }
  return mapping._meta;
}

interface MappingBody {
  _meta?: OpenSearchIndexMeta;
  properties?: { vector?: { method?: { engine?: string; space_type?: string } } };
}
