import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamPubmedXml } from '../../src/corpus/formats/pubmed-xml.js';
import { readCorpus } from '../../src/corpus/read-corpus.js';

const ARTICLES = 5_000;
let dir: string;
let file: string;

function article(i: number): string {
  // Long abstracts make the file ~25 MB, so holding it in memory would be plainly visible.
  const abstract = `Sentence ${i} about CAR-T cell exhaustion in solid tumours and its reversal. `.repeat(60);
  return `<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">${10_000_000 + i}</PMID>
<Article PubModel="Print"><Journal><JournalIssue><Volume>${i % 50}</Volume><PubDate><Year>2020</Year></PubDate></JournalIssue><Title>Journal ${i % 7}</Title></Journal>
<ArticleTitle>Generated article ${i}</ArticleTitle><Abstract><AbstractText Label="RESULTS">${abstract}</AbstractText></Abstract>
<AuthorList><Author><LastName>Author${i}</LastName><ForeName>Test</ForeName></Author></AuthorList><Language>eng</Language></Article></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="doi">10.9999/gen.${i}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n`;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pubmed-stream-'));
  file = path.join(dir, 'big.xml');
  const handle = await fs.open(file, 'w');
  await handle.write('<?xml version="1.0" ?>\n<PubmedArticleSet>\n');
  for (let start = 0; start < ARTICLES; start += 500) {
    let batch = '';
    for (let i = start; i < Math.min(start + 500, ARTICLES); i++) batch += article(i);
    await handle.write(batch);
  }
  await handle.write('</PubmedArticleSet>\n');
  await handle.close();
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('PubMed XML streaming', () => {
  it(`streams ${ARTICLES} articles with bounded heap growth`, async () => {
    const { size } = await fs.stat(file);
    expect(size).toBeGreaterThan(20_000_000);
    const gc = exposeGc();
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peakRetained = 0;
    let count = 0;
    await streamPubmedXml(file, {
      record(draft) {
        count++;
        expect(draft.abstract).toBeTruthy();
        if (count % 500 === 0) {
          // Retained memory after a full collection: what the reader holds on to, not garbage awaiting GC.
          gc();
          peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - baseline);
        }
      },
      skip(line, reason) {
        throw new Error(`unexpected skip at ${line}: ${reason}`);
      },
      note() {},
    });
    expect(count).toBe(ARTICLES);
    // Loading the file whole would retain at least its size (~25 MB); streaming keeps a few articles.
    expect(peakRetained).toBeLessThan(size / 4);
  });

  it('reads the same file end to end through readCorpus', async () => {
    const { records, issues, summary } = await readCorpus([file], { root: dir });
    expect(issues).toEqual([]);
    expect(records).toHaveLength(ARTICLES);
    expect(records[ARTICLES - 1]).toMatchObject({ id: `pmid-${10_000_000 + ARTICLES - 1}`, doi: `10.9999/gen.${ARTICLES - 1}`, year: 2020 });
    expect(summary.byFormat).toEqual({ 'pubmed-xml': ARTICLES });
  });
});
