/**
 * Adding and removing files from the page, in a real browser against a live server (background indexing as
 * `npm start` runs it): a PubMed XML file and a GB18030 RIS file from CNKI are added (one dropped, one picked),
 * reported and indexed with progress shown, then cited; oversized and unsupported files are refused with their
 * messages; removing a file removes its records from answers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../bench/support/temp-project.js';
import { startLiveTestServer, type LiveTestServer } from '../support/test-server.js';
import { askQuestion, lastFinishedTurn, launchBrowser, screenshot, type TestBrowser } from './browser.js';

const UPLOADS = path.join(REPO_ROOT, 'test', 'fixtures', 'uploads');
const GLIOBLASTOMA = 'Does an oncolytic herpesvirus armed with interleukin-12 help against glioblastoma?';
let server: LiveTestServer;
let browser: TestBrowser;
let page: Page;
let scratch: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startLiveTestServer({ withModel: true, env: { UPLOAD_MAX_MB: '1' } });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  scratch = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-upload-'));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function citedIds(): Promise<string[]> {
  const turn = await lastFinishedTurn(page);
  const hrefs = await turn.locator('.sources a.cite').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.map((href) => decodeURIComponent(href.replace('/records/', '')));
}

describe('adding files from the page', () => {
  it('drops a PubMed XML file and picks a GB18030 RIS file, reports both, shows indexing, and cites them', async () => {
    await page.getByRole('button', { name: 'Library' }).click();
    const library = page.locator('#library');
    await library.locator('#drop-zone').waitFor();
    expect(await library.locator('#upload-hint').textContent()).toMatch(/up to 1 MB each/);

    // Dropped: a drag-and-drop of the file's bytes onto the zone.
    const xml = [...readFileSync(path.join(UPLOADS, 'pubmed-oncolytic.xml'))];
    await page.evaluate((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'pubmed-oncolytic.xml', { type: 'text/xml' }));
      const zone = document.getElementById('drop-zone')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, xml);
    const dropped = library.locator('.upload-report[data-file="pubmed-oncolytic.xml"][data-state="added"]');
    await dropped.waitFor();
    expect(await dropped.textContent()).toBe('uploads/pubmed-oncolytic.xml: 2 records added, 0 skipped, 0 duplicates');

    // Picked: through the file button, as a keyboard user would (Tab to it, Enter opens the picker).
    await library.locator('label.choose-files').click({ trial: true });
    await page.locator('#upload-input').focus();
    await page.locator('#upload-input').setInputFiles(path.join(UPLOADS, 'cnki-knee-gb18030.ris'));
    const picked = library.locator('.upload-report[data-file="cnki-knee-gb18030.ris"][data-state="added"]');
    await picked.waitFor();
    expect(await picked.textContent()).toBe('uploads/cnki-knee-gb18030.ris: 1 records added, 0 skipped, 0 duplicates');

    const progress = library.locator('.upload-progress');
    await progress.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    expect(await progress.textContent()).toBe('Indexing finished: 65 abstracts searchable.');
    await screenshot(page, 'upload-reports');
    expect(await library.locator('.library-file', { hasText: 'uploads/pubmed-oncolytic.xml' }).textContent()).toMatch(/2 records/);

    await page.keyboard.press('Escape');
    await askQuestion(page, GLIOBLASTOMA);
    expect(await citedIds()).toContain('pmid-39100001');
    await askQuestion(page, '自体间充质干细胞关节腔注射能否治疗膝骨关节炎？');
    expect(await citedIds()).toContain('doi-10.7507_1002-1892.202201001');
    expect(pageErrors).toEqual([]);
  });

  it('refuses an oversized and an unsupported file with their messages, and keeps the rest', async () => {
    const big = path.join(scratch, 'huge.ris');
    writeFileSync(big, `TY  - JOUR\nAB  - ${'x'.repeat(1.2 * 1024 * 1024)}\nER  - \n`);
    const pdf = path.join(scratch, 'paper.pdf');
    writeFileSync(pdf, '%PDF-1.7');
    // The Chinese question before switched the labels to Chinese; back to English for the messages below.
    await page.locator('#lang-toggle').click();
    await page.locator('#library-toggle').click();
    const library = page.locator('#library');
    await page.locator('#upload-input').setInputFiles([big, pdf]);
    const refusedBig = library.locator('.upload-report[data-file="huge.ris"][data-state="refused"]');
    const refusedPdf = library.locator('.upload-report[data-file="paper.pdf"][data-state="refused"]');
    await refusedPdf.waitFor();
    expect(await refusedBig.textContent()).toBe('huge.ris: The file is larger than the upload limit of 1 MB (UPLOAD_MAX_MB).');
    expect(await refusedPdf.textContent()).toBe('paper.pdf: unsupported format (.pdf): export the abstracts (PubMed, RIS or CSV) instead of full-text PDFs');
    expect((await (await fetch(`${server.url}/health`)).json()).records).toBe(65);
    await screenshot(page, 'upload-refused');
    await page.keyboard.press('Escape');
  });

  it('removes an uploaded file: its records leave the answers', async () => {
    await page.locator('#library-toggle').click();
    const library = page.locator('#library');
    await library.getByRole('button', { name: 'Remove uploads/pubmed-oncolytic.xml and its records' }).click();
    await library.getByText('Removed uploads/pubmed-oncolytic.xml: 2 records are no longer answered from.').waitFor();
    await expect.poll(() => library.locator('.library-file', { hasText: 'pubmed-oncolytic' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await askQuestion(page, GLIOBLASTOMA);
    expect(await citedIds()).not.toContain('pmid-39100001');
    expect(pageErrors).toEqual([]);
  });
});
