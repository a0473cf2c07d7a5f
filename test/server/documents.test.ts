/**
 * `/documents` against a live server (background builds, as `npm start` runs): uploads are saved under
 * corpus/uploads/, reported per file, searchable at once and cited; bad uploads are refused with their message
 * and nothing else is lost; removing a file removes its records from answers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../bench/support/temp-project.js';
import { startLiveTestServer, type LiveTestServer } from '../support/test-server.js';

const UPLOADS = path.join(REPO_ROOT, 'test', 'fixtures', 'uploads');
let server: LiveTestServer;

beforeAll(async () => {
  server = await startLiveTestServer({ withModel: true, env: { UPLOAD_MAX_MB: '1' } });
});
afterAll(() => server?.close());

async function upload(name: string, bytes: Buffer | string) {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const response = await fetch(`${server.url}/documents`, { method: 'POST', body: form });
  return { status: response.status, body: await response.json() };
}

async function ask(question: string): Promise<{ grounded: boolean; citations: Array<{ id: string }> }> {
  const response = await fetch(`${server.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
  return response.json();
}

const citedIds = async (question: string) => new Set((await ask(question)).citations.map((c) => c.id));

describe('POST /documents', () => {
  it('adds a PubMed XML file: reported, searchable by keyword at once, cited, then embedded in the background', async () => {
    const before = await (await fetch(`${server.url}/health`)).json();
    expect(before).toMatchObject({ retrieval: 'hybrid', records: 62 });
    const { status, body } = await upload('pubmed-oncolytic.xml', readFileSync(path.join(UPLOADS, 'pubmed-oncolytic.xml')));
    expect(status).toBe(201);
    expect(body).toEqual({ file: 'uploads/pubmed-oncolytic.xml', format: 'pubmed-xml', records: 2, new_records: 2, duplicates: 0, skipped: [] });
    expect(existsSync(path.join(server.project.corpusDir, 'uploads', 'pubmed-oncolytic.xml'))).toBe(true);
    // Answerable the moment the reply comes, before any embedding is done.
    expect(await citedIds('Does an oncolytic herpesvirus armed with interleukin-12 help against glioblastoma?')).toContain('pmid-39100001');
    await server.live.idle();
    const after = await (await fetch(`${server.url}/health`)).json();
    expect(after).toMatchObject({ retrieval: 'hybrid', records: 64 });
    expect(after.indexing).toBeUndefined();
    expect(await citedIds('Does an oncolytic herpesvirus armed with interleukin-12 help against glioblastoma?')).toContain('pmid-39100001');
  });

  it('adds a GB18030 RIS file from CNKI and answers a Chinese question from it', async () => {
    const { status, body } = await upload('知网导出 (1).ris', readFileSync(path.join(UPLOADS, 'cnki-knee-gb18030.ris')));
    expect(status).toBe(201);
    expect(body).toMatchObject({ file: 'uploads/知网导出_1_.ris', format: 'ris', records: 1, new_records: 1 });
    expect(await citedIds('自体间充质干细胞关节腔注射能否治疗膝骨关节炎？')).toContain('doi-10.7507_1002-1892.202201001');
  });

  it('reports duplicates of records already in the collection, and lines it had to skip', async () => {
    const ris = `${readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'ris', 'malformed.ris'), 'utf8')}`;
    const again = await upload('oncolytic-again.xml', readFileSync(path.join(UPLOADS, 'pubmed-oncolytic.xml')));
    expect(again.body).toMatchObject({ file: 'uploads/oncolytic-again.xml', records: 2, new_records: 0, duplicates: 2 });
    const broken = await upload('broken.ris', ris);
    expect(broken.status).toBe(201);
    expect(broken.body.skipped.length).toBeGreaterThan(0);
    for (const line of broken.body.skipped) expect(line).toMatch(/^uploads\/broken\.ris(:\d+)?: /);
  });

  it('refuses oversized, unsupported and unreadable files with their message, losing nothing else', async () => {
    const records = (await (await fetch(`${server.url}/health`)).json()).records;
    const big = await upload('huge.ris', Buffer.alloc(1.2 * 1024 * 1024, 65));
    expect(big.status).toBe(413);
    expect(big.body.error).toEqual({ code: 'file_too_large', message: expect.stringMatching(/upload limit of 1 MB \(UPLOAD_MAX_MB\)/) });
    const pdf = await upload('paper.pdf', '%PDF-1.7');
    expect(pdf.status).toBe(415);
    expect(pdf.body.error).toEqual({ code: 'unsupported_format', message: 'paper.pdf: unsupported format (.pdf): export the abstracts (PubMed, RIS or CSV) instead of full-text PDFs' });
    const xml = await upload('notes.xml', '<notes><note>hi</note></notes>');
    expect(xml.body.error.code).toBe('unsupported_format');
    const empty = await upload('empty.ris', 'TY  - JOUR\nTI  - No abstract here\nER  - \n');
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('no_records');
    const none = await fetch(`${server.url}/documents`, { method: 'POST', body: new FormData() });
    expect((await none.json()).error.code).toBe('invalid_request');
    const saved = readdirSync(path.join(server.project.corpusDir, 'uploads')).sort();
    expect(saved).toEqual(['broken.ris', 'oncolytic-again.xml', 'pubmed-oncolytic.xml', '知网导出_1_.ris']);
    expect((await (await fetch(`${server.url}/health`)).json()).records).toBe(records);
  });

  it('keeps names inside corpus/uploads/', async () => {
    const sneaky = await upload('../../../evil.ris', readFileSync(path.join(UPLOADS, 'cnki-knee-gb18030.ris')));
    expect(sneaky.body.file).toBe('uploads/evil.ris');
    expect(existsSync(path.join(server.project.root, 'evil.ris'))).toBe(false);
    const outside = await fetch(`${server.url}/documents/${encodeURIComponent('uploads/../demo-cart-abstracts.jsonl')}`, { method: 'DELETE' });
    expect(outside.status).toBe(400);
    const corpusFile = await fetch(`${server.url}/documents/demo-cart-abstracts.jsonl`, { method: 'DELETE' });
    expect(corpusFile.status).toBe(403);
    expect((await corpusFile.json()).error.code).toBe('not_removable');
    expect(existsSync(path.join(server.project.corpusDir, 'demo-cart-abstracts.jsonl'))).toBe(true);
  });
});

describe('DELETE /documents', () => {
  it('removes an uploaded file and its records from answers', async () => {
    const listed = (await (await fetch(`${server.url}/documents`)).json()).files as Array<{ file: string; records: number; removable: boolean }>;
    // The same two articles were uploaded twice: they are counted once, under whichever copy was kept.
    const copies = listed.filter((f) => /oncolytic/.test(f.file));
    expect(copies.map((f) => f.file)).toEqual(['uploads/oncolytic-again.xml', 'uploads/pubmed-oncolytic.xml']);
    expect(copies.reduce((sum, f) => sum + f.records, 0)).toBe(2);
    expect(copies.every((f) => f.removable)).toBe(true);
    expect(listed).toContainEqual({ file: 'demo-cart-abstracts.jsonl', records: 61, removable: false });
    for (const file of ['uploads/pubmed-oncolytic.xml', 'uploads/oncolytic-again.xml']) {
      const response = await fetch(`${server.url}/documents/${encodeURIComponent(file)}`, { method: 'DELETE' });
      expect(response.status).toBe(200);
    }
    const cited = await citedIds('Does an oncolytic herpesvirus armed with interleukin-12 help against glioblastoma?');
    expect(cited.has('pmid-39100001')).toBe(false);
    const missing = await fetch(`${server.url}/documents/${encodeURIComponent('uploads/pubmed-oncolytic.xml')}`, { method: 'DELETE' });
    expect((await missing.json()).error.code).toBe('file_not_found');
  });
});
