import type { AbstractRecord } from '../../src/corpus/record.js';

/** A minimal record for retrieval tests. */
export function record(id: string, title: string, abstract: string, extra: Partial<AbstractRecord> = {}): AbstractRecord {
  return { id, title, abstract, authors: [], affiliations: [], keywords: [], language: 'en', sourceFile: 'test.jsonl', ...extra };
}
