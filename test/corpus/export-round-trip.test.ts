/**
 * RIS and BibTeX written by src/corpus/export and read back by this project's own readers give the same
 * records, field for field, and a re-imported file next to its originals is recognised as duplicates.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBibtex } from '../../src/corpus/export/bibtex-writer.js';
import { writeRis } from '../../src/corpus/export/ris-writer.js';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import type { AbstractRecord } from '../../src/corpus/record.js';
import { foldText } from '../../src/text/fold.js';
import { bibliographicFields } from '../support/bibliographic-fields.js';
import { REPO_ROOT } from '../../bench/support/temp-project.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus');
const DEMO = path.join(REPO_ROOT, 'corpus', 'demo-cart-abstracts.jsonl');
const SOURCES = [FIXTURES, DEMO];

/**
 * 20 records from every reader's fixtures (PubMed XML, MEDLINE, RIS, refer, CSV, JSON, WPRIM, GB18030) topped up
 * with demo abstracts. Fixture rows whose "abstract" is a few words (under 40 letters and digits) are left out:
 * they are format probes, and such a stub has nothing to recognise an article by when it has no DOI, PMID or year.
 */
async function pickRecords(): Promise<AbstractRecord[]> {
  const { records } = await readCorpus(SOURCES, { root: REPO_ROOT });
  const real = records.filter((r) => foldText(r.abstract).length >= 40);
  return [...real.filter((r) => r.sourceFile.startsWith('test/')), ...real.filter((r) => r.sourceFile.startsWith('corpus/'))].slice(0, 20);
}

describe.each([
  ['RIS', 'export.ris', writeRis, true],
  ['BibTeX', 'export.bib', writeBibtex, false],
] as const)('%s export round trip', (_name, fileName, write, keepsAffiliations) => {
  let dir: string;
  let originals: AbstractRecord[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-export-'));
    originals = await pickRecords();
    expect(originals).toHaveLength(20);
    expect(new Set(originals.map((r) => r.sourceFile.split('/').slice(0, -1).join('/'))).size).toBeGreaterThanOrEqual(5);
    writeFileSync(path.join(dir, fileName), write(originals));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back the same 20 records with every bibliographic field equal', async () => {
    const again = await readCorpus([path.join(dir, fileName)], { root: dir });
    expect(again.issues).toEqual([]);
    expect(again.records).toHaveLength(20);
    expect(again.records.map((r) => bibliographicFields(r, keepsAffiliations))).toEqual(originals.map((r) => bibliographicFields(r, keepsAffiliations)));
  });

  it('adds no record when read next to the originals: all 20 are recognised as the same articles', async () => {
    const base = await readCorpus(SOURCES, { root: '/' });
    const both = await readCorpus([...SOURCES, path.join(dir, fileName)], { root: '/' });
    expect(both.records).toHaveLength(base.records.length);
    expect(both.summary.duplicates.length - base.summary.duplicates.length).toBe(20);
  });
});
