import type { SearchBackend } from '../retrieve/search-backend.js';

/**
 * What the HTTP layer reads about the collection: records by id, pages of it, counts and the backend's health.
 * Whichever backend holds the index (in-process or an OpenSearch cluster) answers through the same calls.
 */
export type Collection = Pick<SearchBackend, 'records' | 'listRecords' | 'status' | 'hasVectors'>;
