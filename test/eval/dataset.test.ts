import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvalDataset, parseQueries } from '../../src/eval/dataset.js';
import { REPO_ROOT } from '../../bench/support/temp-project.js';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/eval/tiny');

describe('evaluation datasets', () => {
  it('reads documents with the corpus reader (ids kept, no de-duplication) and only documents.jsonl as corpus', async () => {
    const dataset = await loadEvalDataset(FIXTURE, 'dev');
    expect(dataset.name).toBe('tiny');
    expect(dataset.documents.map((d) => d.id)).toEqual(['tiny-en-1', 'tiny-en-2', 'tiny-en-3', 'tiny-en-4', 'tiny-zh-1', 'tiny-zh-2', 'tiny-zh-3']);
    expect(dataset.documents.find((d) => d.id === 'tiny-zh-1')!.language).toBe('zh');
    expect(dataset.queries.map((q) => q.group)).toEqual(['question', 'question', 'question', 'keywords', 'keywords']);
    expect(dataset.warnings).toEqual([]);
  });

  it('groups by direction and query type where the pool language differs from the query', async () => {
    const { queries } = await loadEvalDataset(FIXTURE, 'test');
    expect(queries.map((q) => [q.targetLang, q.group])).toEqual([
      ['zh', 'en→zh first_sentence'],
      ['en', 'zh→en first_sentence'],
      ['zh', 'en→zh full_abstract'],
    ]);
  });

  it('reports one group for single-kind sets and turns bad lines into warnings', () => {
    const warnings: string[] = [];
    const text = [
      '{"id":"a","query":"x","lang":"en","gold_doc_ids":["d1"],"meta":{"query_type":"claim"}}',
      '{"id":"b","query":"y","gold_doc_ids":[]}',
      'not json',
      '',
      '{"id":"c","query":"z","lang":"en","gold_doc_ids":["d2","d3"],"meta":{"query_type":"claim"}}',
    ].join('\n');
    const queries = parseQueries(text, 'queries_dev.jsonl', warnings);
    expect(queries.map((q) => [q.id, q.group, q.goldDocIds.length])).toEqual([['a', 'all', 1], ['c', 'all', 2]]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^queries_dev\.jsonl:2: skipped query \(gold_doc_ids/);
    expect(warnings[1]).toMatch(/^queries_dev\.jsonl:3: skipped query/);
  });
});
