/** The collection as the library pages through it, from the OpenSearch records index (one request a page). */
import type { Client } from '@opensearch-project/opensearch';
import type { AbstractRecord } from '../corpus/record.js';
import type { IndexNames } from '../ingest/opensearch/connection.js';
import { foldText } from '../text/fold.js';
import { rankFacets } from './record-listing.js';
import type { RecordListing, RecordListQuery } from './search-backend.js';

/** Journals the facet lists; with ties at the cut the engine's and the embedded counts agree. */
const JOURNAL_FACETS = 100;

/**
 * A page of records in corpus order, those whose folded title contains the folded `q` (a wildcard on the keyword
 * written at ingest), with the facets of the whole collection from aggregations, in the same request.
 * @example await listClusterRecords(client, names, { q: 'exhaustion', offset: 0, limit: 20 })
 */
export async function listClusterRecords(client: Client, names: IndexNames, query: RecordListQuery): Promise<RecordListing> {
  const needle = query.q ? foldText(query.q) : '';
  const response = await client.search({
    index: names.records,
    allow_partial_search_results: false,
    body: {
      from: query.offset,
      size: query.limit,
      track_total_hits: true,
      _source: ['record'],
      query: needle ? { wildcard: { folded_title: { value: `*${needle.replace(/[*?\\]/g, '\\$&')}*` } } } : { match_all: {} },
      sort: [{ position: 'asc' }, { _id: 'asc' }],
      // Facets describe the collection, not the filtered page: a global aggregation ignores the query.
      aggs: {
        all: {
          global: {},
          aggs: {
            languages: { terms: { field: 'language', size: 1000, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
            journals: { terms: { field: 'journal', size: JOURNAL_FACETS, order: [{ _count: 'desc' }, { _key: 'asc' }], shard_size: 10 * JOURNAL_FACETS } },
            minYear: { min: { field: 'year' } },
            maxYear: { max: { field: 'year' } },
          },
        },
      },
    },
  } as never);
  const body = response.body as unknown as ListingResponse;
  const all = body.aggregations.all;
  const counts = (buckets: Bucket[]) => new Map(buckets.map((b) => [b.key, b.doc_count]));
  const years = all.minYear.value === null ? null : { min: all.minYear.value, max: all.maxYear.value! };
  return {
    total: body.hits.total.value,
    records: body.hits.hits.map((hit) => hit._source.record),
    facets: rankFacets(counts(all.languages.buckets), counts(all.journals.buckets), years),
  };
}

interface Bucket {
  key: string;
  doc_count: number;
}

interface ListingResponse {
  hits: { total: { value: number }; hits: Array<{ _source: { record: AbstractRecord } }> };
  aggregations: {
    all: { languages: { buckets: Bucket[] }; journals: { buckets: Bucket[] }; minYear: { value: number | null }; maxYear: { value: number | null } };
  };
}
