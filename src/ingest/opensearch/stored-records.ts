import type { Client } from '@opensearch-project/opensearch';
import { bulkWrite, type BulkRetryOptions } from './bulk-write.js';
import type { IndexNames } from './connection.js';

/** Content hash of every record stored, by id (scrolls the records index, hashes only). */
export async function storedHashes(client: Client, names: IndexNames): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  await scroll<{ hash: string }>(client, names.records, { match_all: {} }, ['hash'], (hit) => hashes.set(hit._id, hit._source!.hash));
  return hashes;
}

/**
 * Deletes every chunk of the given records, found by search (also chunks a crashed run wrote for a record whose
 * hash it never stored), then refreshes so the deletes are visible. `_delete_by_query` would do this in one call
 * but lives in the reindex module, which the Maven distribution does not ship.
 */
export async function deleteChunksOf(client: Client, names: IndexNames, recordIds: string[], retry?: BulkRetryOptions): Promise<void> {
  for (let start = 0; start < recordIds.length; start += 1000) {
    const query = { terms: { record_id: recordIds.slice(start, start + 1000) } };
    const ids = await scrollIds(client, names.chunks, query);
    await bulkWrite(client, ids.map((id) => ({ action: 'delete', index: names.chunks, id })), retry);
  }
  if (recordIds.length > 0) await client.indices.refresh({ index: names.chunks });
}

async function scrollIds(client: Client, index: string, query: unknown): Promise<string[]> {
  const ids: string[] = [];
  await scroll(client, index, query, false, (hit) => ids.push(hit._id));
  return ids;
}

async function scroll<S>(client: Client, index: string, query: unknown, source: string[] | false, onHit: (hit: { _id: string; _source?: S }) => void): Promise<void> {
  let response = await client.search({ index, scroll: '1m', size: 5000, _source: source, body: { query } } as never);
  for (;;) {
    const body = response.body as { _scroll_id?: string; hits: { hits: Array<{ _id: string; _source?: S }> } };
    body.hits.hits.forEach(onHit);
    if (body.hits.hits.length === 0 || !body._scroll_id) {
      if (body._scroll_id) await client.clearScroll({ scroll_id: body._scroll_id } as never).catch(() => undefined);
      return;
    }
    response = await client.scroll({ scroll_id: body._scroll_id, scroll: '1m' } as never);
  }
}
