import { describe, expect, it } from 'vitest';
import { dedupeRecords } from '../../src/corpus/dedupe-records.js';
import type { AbstractRecord } from '../../src/corpus/record.js';

function record(id: string, fields: Partial<AbstractRecord> = {}): AbstractRecord {
  return { id, title: '', abstract: 'An abstract.', authors: [], affiliations: [], keywords: [], language: 'en', sourceFile: `${id}.txt`, ...fields };
}

describe('dedupeRecords', () => {
  it('matches DOI case-insensitively and keeps the richer record', () => {
    const poor = record('a', { doi: '10.1/ABC' });
    const rich = record('b', { doi: '10.1/abc', journal: 'J', year: 2020, authors: ['X'] });
    const { keep, duplicates } = dedupeRecords([poor, rich]);
    expect(keep).toEqual([1]);
    expect(duplicates).toEqual([{ kept: 'b', dropped: 'a', reason: 'doi', keptFile: 'b.txt', droppedFile: 'a.txt' }]);
  });

  it('matches by PMID, then by normalised title + year', () => {
    const records = [
      record('a', { pmid: '1', title: 'T cell exhaustion: a review', year: 2021 }),
      record('b', { pmid: '1' }),
      record('c', { title: 'T-cell exhaustion — a review.', year: 2021 }),
      record('d', { title: 'T-cell exhaustion — a review.', year: 2022 }),
    ];
    const { keep, duplicates } = dedupeRecords(records);
    expect(keep).toEqual([0, 3]);
    expect(duplicates.map((d) => [d.kept, d.dropped, d.reason])).toEqual([['a', 'b', 'pmid'], ['a', 'c', 'title+year']]);
  });

  it('never merges records whose DOIs or PMIDs disagree, nor untitled or undated ones', () => {
    const records = [
      record('a', { doi: '10.1/a', title: 'Erratum to a longer article title', year: 2020 }),
      record('b', { doi: '10.1/b', title: 'Erratum to a longer article title', year: 2020 }),
      record('c', { pmid: '5', title: 'Same title of reasonable length', year: 2019 }),
      record('d', { pmid: '6', title: 'Same title of reasonable length', year: 2019 }),
      record('e', { title: 'Undated title of reasonable length' }),
      record('f', { title: 'Undated title of reasonable length' }),
      record('g', { title: '' , year: 2020 }),
      record('h', { title: '', year: 2020 }),
    ];
    expect(dedupeRecords(records).keep).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('follows a chain: a later record matching a dropped one lands on the kept one', () => {
    const records = [record('a', { doi: '10.1/x' }), record('b', { doi: '10.1/x', pmid: '9', journal: 'J' }), record('c', { pmid: '9' })];
    const { keep, duplicates } = dedupeRecords(records);
    expect(keep).toEqual([1]);
    expect(duplicates.map((d) => [d.kept, d.dropped])).toEqual([['b', 'a'], ['b', 'c']]);
  });
});

describe('dedupeRecords by title and abstract', () => {
  const abstract = 'We further determine that CD28 costimulation augments, whereas 4-1BB costimulation reduces, exhaustion.';

  it('merges copies with no DOI, PMID or year when title and abstract match after folding', () => {
    const records = [
      record('scifact-1', { title: 'CAR T cell exhaustion', abstract }),
      record('demo-scifact-1', { title: 'CAR T-cell exhaustion.', abstract: abstract.replace(', whereas', ' whereas'), journal: 'Nat Med', year: 2015 }),
    ];
    const { keep, duplicates } = dedupeRecords(records);
    expect(keep).toEqual([1]);
    expect(duplicates.map((d) => [d.kept, d.dropped, d.reason])).toEqual([['demo-scifact-1', 'scifact-1', 'title+abstract']]);
  });

  it('keeps records apart when the abstracts differ, the abstract is a stub, or their DOIs disagree', () => {
    const records = [
      record('a', { title: 'CAR T cell exhaustion', abstract }),
      record('b', { title: 'CAR T cell exhaustion', abstract: `${abstract} More.` }),
      record('c', { title: 'Letter', abstract: 'No abstract available.' }),
      record('d', { title: 'Letter', abstract: 'No abstract available.' }),
      record('e', { title: 'Erratum', abstract, doi: '10.1/e' }),
      record('f', { title: 'Erratum', abstract, doi: '10.1/f' }),
    ];
    expect(dedupeRecords(records).keep).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
