/** From chunk rankings to record hits: which record each chunk is in, the best chunk per record, the hits' documents. */
import type { RankedList } from './fusion.js';
import type { LanguagePool } from './language-pools.js';
import type { ChunkHit, SearchBackend } from './search-backend.js';
import type { RecordHit } from './search-types.js';

/** What the searches of one request found out about chunks: their records, and the records in the other language. */
export interface FoundChunks {
  recordOf: Map<string, string>;
  otherLanguage: Set<string>;
}

// A pool holds the documents of one language, so a hit's pool says whether its record is in the other language.
export function noteChunks(hits: ChunkHit[], pool: LanguagePool, found: FoundChunks): void {
  for (const hit of hits) {
    found.recordOf.set(hit.id, hit.recordId);
    if (!pool.sameLanguage) found.otherLanguage.add(hit.recordId);
  }
}

/** Collapses a chunk ranking to a record ranking, each record scored by its best chunk. */
export function bestPerRecord(chunkHits: RankedList, recordOf: Map<string, string>): RankedList {
  const best = new Map<string, number>();
  for (const hit of chunkHits) {
    const recordId = recordOf.get(hit.id)!;
    if (!best.has(recordId)) best.set(recordId, hit.score);
  }
  return [...best].map(([id, score]) => ({ id, score }));
}

/** The records' documents and their matching chunks, each once: lexical matches in BM25 order, then dense ones. */
export async function recordHits(backend: SearchBackend, top: RankedList, chunkLists: RankedList[], recordOf: Map<string, string>): Promise<RecordHit[]> {
  const matches = new Map(top.map(({ id }) => [id, new Map<string, number>()]));
  for (const list of chunkLists) {
    for (const hit of list) {
      const seen = matches.get(recordOf.get(hit.id)!);
      if (seen && !seen.has(hit.id)) seen.set(hit.id, hit.score);
    }
  }
  const [records, chunks] = await Promise.all([
    backend.records(top.map(({ id }) => id)),
    backend.chunks([...matches.values()].flatMap((seen) => [...seen.keys()])),
  ]);
  const recordById = new Map(records.map((record) => [record.id, record]));
  const chunkById = new Map(chunks.map((chunk) => [chunk.id, chunk]));
  // A record deleted between search and fetch (a remote index being updated) is left out.
  return top.flatMap(({ id, score }) => {
    const record = recordById.get(id);
    if (!record) return [];
    const found = [...matches.get(id)!].flatMap(([chunkId, s]) => (chunkById.has(chunkId) ? [{ chunk: chunkById.get(chunkId)!, score: s }] : []));
    return [{ record, score, chunks: found }];
  });
}
