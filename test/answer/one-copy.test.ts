/**
 * Issue #14 item 5: the shipped demo records are SciFact abstracts, so a corpus holding SciFact as well held each
 * of them twice (no DOI, PMID or year to match on) and the answer quoted the same sentence from both copies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openServices, type OpenedServices } from '../../src/app/services.js';
import { foldText } from '../../src/text/fold.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../../bench/support/temp-project.js';

const QUESTION = 'Does 4-1BB costimulation reduce CAR T cell exhaustion?';
const DEMO = path.join(REPO_ROOT, 'corpus', 'demo-cart-abstracts.jsonl');

/** The SciFact release's own lines for the demo records (`../shared/data/scifact/documents.jsonl` layout). */
function scifactCopies(): string {
  return readFileSync(DEMO, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"demo-scifact-'))
    .map((line) => {
      const demo = JSON.parse(line) as { id: string; title: string; abstract: string };
      const id = demo.id.replace(/^demo-/, '');
      return JSON.stringify({ id, title: demo.title, abstract: demo.abstract, lang: 'en', meta: { s2_doc_id: Number(id.split('-')[1]) } });
    })
    .join('\n');
}

describe('one copy of each article', () => {
  let project: TempProject;
  let services: OpenedServices;

  beforeAll(async () => {
    project = createTempProject();
    writeFileSync(path.join(project.corpusDir, 'scifact-documents.jsonl'), `${scifactCopies()}\n`);
    services = await openServices(project.config, createLogger('silent'), { lexicalOnly: true });
  });
  afterAll(() => project?.cleanup());

  it('reads the SciFact copies of the demo abstracts as duplicates of them', () => {
    const { summary } = services.prepared.corpus;
    expect(summary.duplicates).toHaveLength(58);
    expect(new Set(summary.duplicates.map((d) => d.reason))).toEqual(new Set(['title+abstract']));
    expect(services.index.records).toHaveLength(62);
  });

  it('answers the 4-1BB question without quoting one sentence twice', async () => {
    const response = await services.engine.ask({ question: QUESTION });
    expect(response.grounded).toBe(true);
    expect(response.answer).toMatch(/4-1BB costimulation reduces/);
    const quotes = response.citations.map((c) => foldText(c.quote));
    expect(new Set(quotes).size).toBe(quotes.length);
    expect(response.citations.length).toBeGreaterThan(1);
  });
});

describe('no sentence quoted twice even when the records differ', () => {
  let project: TempProject;
  let services: OpenedServices;
  const sentence = 'We further determine that CD28 costimulation augments, whereas 4-1BB costimulation reduces, exhaustion induced by persistent CAR signaling.';

  beforeAll(async () => {
    project = createTempProject({ corpusFiles: [] });
    const lines = [
      { id: 'a', title: 'Tonic signaling and CAR T cell exhaustion', abstract: `${sentence} Tonic signaling drives exhaustion in CAR T cells.` },
      { id: 'b', title: 'CAR T cell exhaustion: a review', abstract: `Background matters. ${sentence}` },
      { id: 'c', title: 'Costimulation in CAR design', abstract: 'The 4-1BB domain reduces CAR T cell exhaustion compared with CD28 costimulation.' },
    ];
    writeFileSync(path.join(project.corpusDir, 'records.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    services = await openServices(project.config, createLogger('silent'), { lexicalOnly: true });
  });
  afterAll(() => project?.cleanup());

  it('quotes the shared sentence once', async () => {
    expect(services.index.records).toHaveLength(3);
    const response = await services.engine.ask({ question: QUESTION });
    const quotes = response.citations.map((c) => c.quote);
    expect(quotes.filter((q) => q === sentence)).toHaveLength(1);
  });
});
