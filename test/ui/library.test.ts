/**
 * The library features in a real browser against the real server: the collection panel (filter as you type, a
 * record's card, exporting a selection), search filters that change what is cited and show on the answer, Copy
 * answer and the export of cited records, in English and Chinese, by keyboard and at 375 px.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { bibliographicFields } from '../support/bibliographic-fields.js';
import { askQuestion, lastFinishedTurn, screenshot, usePageFixture } from './browser.js';

const SEED_ID = 'doi-10.3870_j.issn.1672-0741.23.11.008';
const QUESTION = 'What strategies can prevent or reverse CAR-T cell exhaustion?';
const fixture = usePageFixture({ failOnPageErrors: true });
let downloads: string;

beforeAll(() => {
  downloads = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-downloads-'));
});
afterAll(() => rmSync(downloads, { recursive: true, force: true }));

/** Ids of the records a finished turn cites, from its marker links. */
async function citedIds(turn: Awaited<ReturnType<typeof lastFinishedTurn>>): Promise<string[]> {
  const hrefs = await turn.locator('.sources a.cite').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return [...new Set(hrefs.map((href) => decodeURIComponent(href.replace('/records/', ''))))];
}

describe('library panel', () => {
  it('lists the collection, filters titles as you type, and opens a record card', async () => {
    const { page } = fixture;
    await page.getByRole('button', { name: 'Library' }).click();
    const library = page.locator('#library');
    await library.locator('.library-item').first().waitFor();
    expect(await library.locator('.library-count').textContent()).toBe('62 abstracts');
    expect(await library.locator('.library-item').count()).toBe(50);
    expect(await library.locator('.library-shown').textContent()).toBe('Showing 50 of 62');
    // Focus starts in the filter box, so a keyboard user just types.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('library-filter');
    await library.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => library.locator('.library-item').count()).toBe(62);
    expect(await page.evaluate(() => document.activeElement?.className)).toMatch(/library-open/);

    await library.getByLabel('Filter by title').focus();
    await page.keyboard.type('T细胞耗竭');
    await expect.poll(() => library.locator('.library-item').count()).toBe(1);
    expect(await library.locator('.library-item .source-original').textContent()).toBe('CAR-T细胞治疗肿瘤中T细胞耗竭现象的作用机制和策略');
    expect(await library.locator('.library-item .source-meta').textContent()).toBe('Acta Medicinae Universitatis Scientiae et Technologiae Huazhong · 2024 · English');

    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(SEED_ID);
    await page.keyboard.press('Enter');
    const card = page.locator('#evidence');
    await card.locator('.abstract').waitFor();
    expect(await card.locator('.kicker').textContent()).toBe('Record');
    expect(await card.locator('.abstract').textContent()).toBe(fixture.server.services.index.recordById.get(SEED_ID)!.abstract);
    await screenshot(page, 'library-card');
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
    expect(await library.isVisible()).toBe(true);
  });

  it('exports a selection as RIS that re-imports field for field', async () => {
    const { page } = fixture;
    await page.getByRole('button', { name: 'Library' }).click();
    const library = page.locator('#library');
    await library.locator('.library-item').first().waitFor();
    const picks = library.locator('.library-pick');
    const ids = [];
    for (let i = 0; i < 3; i++) {
      await picks.nth(i).check();
      ids.push((await picks.nth(i).getAttribute('data-id'))!);
    }
    expect(await library.locator('.library-selected').textContent()).toBe('3 selected');
    const [download] = await Promise.all([page.waitForEvent('download'), library.getByRole('link', { name: 'Export selected (RIS)' }).click()]);
    expect(download.suggestedFilename()).toBe('abstract-qa-3-records.ris');
    const file = path.join(downloads, 'selection.ris');
    await download.saveAs(file);
    const again = await readCorpus([file], { root: downloads });
    const originals = ids.map((id) => fixture.server.services.index.recordById.get(id)!);
    expect(again.records.map((r) => bibliographicFields(r))).toEqual(originals.map((r) => bibliographicFields(r)));
  });
});

describe('search filters', () => {
  it('change what is cited, and the answer says what was searched', async () => {
    const { page } = fixture;
    await askQuestion(page, 'Does 4-1BB costimulation reduce CAR T cell exhaustion?');
    const open = await citedIds(await lastFinishedTurn(page));
    expect(open).toContain('demo-scifact-18231807');
    expect(open).not.toContain(SEED_ID);

    await page.getByText('Narrow the search').click();
    await page.getByLabel('From year').fill('2020');
    await page.getByLabel('To year').fill('2025');
    await page.getByLabel('Abstract language').selectOption('en');
    expect(await page.locator('.filters-active').textContent()).toBe('Searched:2020–2025, English abstracts');
    await askQuestion(page, 'Does 4-1BB costimulation reduce CAR T cell exhaustion?');
    const narrowed = await lastFinishedTurn(page);
    expect(await citedIds(narrowed)).toEqual([SEED_ID]);
    expect(await narrowed.locator('.scope').textContent()).toBe('Searched:2020–2025, English abstracts');

    await page.getByLabel('Abstract language').selectOption('zh');
    await page.getByLabel('From year').fill('');
    await page.getByLabel('To year').fill('');
    await askQuestion(page, '如何逆转CAR-T细胞耗竭？');
    const chinese = await lastFinishedTurn(page);
    const ids = await citedIds(chinese);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(fixture.server.services.index.recordById.get(id)!.language).toBe('zh');
    expect(await chinese.locator('.scope').textContent()).toBe('检索范围：中文摘要');
    await screenshot(page, 'filtered-answer');
  });
});

describe('taking an answer away', () => {
  it('copies the answer as Markdown with numbered references and exports the cited records as BibTeX', async () => {
    const { page } = fixture;
    await fixture.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fixture.server.url });
    await askQuestion(page, QUESTION);
    const turn = await lastFinishedTurn(page);
    await turn.getByRole('button', { name: 'Copy answer (Markdown)' }).click();
    await turn.locator('.copy-status').filter({ hasText: 'Copied.' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const answer = (await turn.locator('.answer').textContent())!.trim();
    expect(copied.startsWith(`**${QUESTION}**\n\n${answer}\n\n**References**\n1. `)).toBe(true);
    const record = fixture.server.services.index.recordById.get(SEED_ID)!;
    expect(copied).toContain(`${record.title.replace(/\.$/, '')} / ${record.originalTitle}. *${record.journal}*. https://doi.org/${record.doi}.`);
    expect(copied).toMatch(/\n {3}> \S/);

    await turn.getByRole('button', { name: 'Copy answer (plain text)' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/\nReferences\n\[1\] /);

    const ids = await citedIds(turn);
    const [download] = await Promise.all([page.waitForEvent('download'), turn.getByRole('link', { name: 'Cited records (BibTeX)' }).click()]);
    const file = path.join(downloads, 'cited.bib');
    await download.saveAs(file);
    expect(readFileSync(file, 'utf8')).toMatch(/^@article\{/);
    const again = await readCorpus([file], { root: downloads });
    const originals = ids.map((id) => fixture.server.services.index.recordById.get(id)!);
    expect(again.records.map((r) => bibliographicFields(r, false))).toEqual(originals.map((r) => bibliographicFields(r, false)));
  });

  it('works at 375 px in Chinese, nothing wider than the screen', async () => {
    const { page } = fixture;
    await page.setViewportSize({ width: 375, height: 740 });
    await page.locator('#lang-toggle').click();
    await askQuestion(page, QUESTION);
    const turn = await lastFinishedTurn(page);
    expect(await turn.getByRole('button', { name: '复制回答（Markdown）' }).isVisible()).toBe(true);
    await page.getByText('缩小检索范围').click();
    expect(await page.getByLabel('起始年份').isVisible()).toBe(true);
    await screenshot(page, 'narrow-answer-tools');
    await page.getByRole('button', { name: '文献库' }).click();
    await page.locator('#library .library-item').first().waitFor();
    expect(await page.locator('#library h2').textContent()).toBe('您的文献库');
    const overflow = await page.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && el.getClientRects().length > 0).map((el) => el.className || el.tagName));
    expect(overflow).toEqual([]);
    await screenshot(page, 'narrow-library');
  });
});
