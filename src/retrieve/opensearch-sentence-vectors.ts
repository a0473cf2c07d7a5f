import type { Client } from '@opensearch-project/opensearch';
import type { AbstractRecord } from '../corpus/record.js';
import { hashRecord } from '../ingest/manifest.js';
import type { IndexNames } from '../ingest/opensearch/connection.js';
import { decodeSentenceVectors, type SentenceVectorSettings, type SentenceVectorSource } from '../ingest/sentence-vectors.js';

/**
 * Sentence vectors stored with each record in a cluster's records index (ingest writes them, see sync-index.ts): one
 * small `mget` per abstract the semantic step needs, instead of embedding its sentences per question.
 * @example
 * const source = new ClusterSentenceVectors(client, names, { modelId, dimension: 384, maxChars: 400 });
 * await source.vectorsOf(record); // its sentences' vectors, or undefined
 */
export class ClusterSentenceVectors implements SentenceVectorSource {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
    readonly settings: SentenceVectorSettings,
  ) {}

  async vectorsOf(record: AbstractRecord): Promise<number[][] | undefined> {
    let source: { hash?: string; sentence_vectors?: string } | undefined;
    try {
      const response = await this.client.mget({ index: this.names.records, _source_includes: ['hash', 'sentence_vectors'], body: { ids: [record.id] } } as never);
      source = (response.body as { docs: Array<{ found: boolean; _source?: typeof source }> }).docs[0]?._source;
    } catch {
      // A cluster that fails here costs embedding the sentences, not the answer.
      return undefined;
    }
    // Vectors of another version of the record (re-ingested since it was retrieved) are not this one's.
    if (!source?.sentence_vectors || source.hash !== hashRecord(record)) return undefined;
    return decodeSentenceVectors(source.sentence_vectors, this.settings.dimension);
  }
}
