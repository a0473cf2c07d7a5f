/**
 * Corpus files over HTTP: `GET /documents` lists them, `POST /documents` adds one (multipart field `file`, saved
 * under `<corpus>/uploads/`, read by the same readers, answered with a per-file report), and
 * `DELETE /documents/uploads/<name>` removes an uploaded one. After a change the corpus is re-indexed through
 * {@link CorpusUpdates}: the reply comes once the new records are searchable by keyword; embedding goes on in the
 * background and shows in `GET /health` under `indexing`.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import { decodeText } from '../corpus/decode-text.js';
import { dedupeRecords } from '../corpus/dedupe-records.js';
import { detectFormat } from '../corpus/detect-format.js';
import { readCorpus } from '../corpus/read-corpus.js';
import { formatReadIssue, type AbstractRecord } from '../corpus/record.js';
import { removeUpload, saveUpload, UPLOADS_FOLDER, UploadNameError } from '../corpus/upload-store.js';
import type { AppConfig } from '../config.js';
import { ApiError } from './errors.js';
import type { LiveServices } from '../app/live-services.js';

/** How the routes see the corpus and get it re-indexed. */
export interface CorpusUpdates {
  corpusDir: string;
  uploadMaxMb: number;
  /** Records served now. */
  records(): readonly AbstractRecord[];
  /** Re-reads the corpus; resolves once its records are searchable (lexically), while embedding continues. */
  corpusChanged(): Promise<void>;
}

/**
 * The corpus updates of a running server: files go to `config.corpusDir`, re-indexing through the live services.
 * @example createApp(live, { corpusUpdates: liveCorpusUpdates(config, live) })
 */
export function liveCorpusUpdates(config: Pick<AppConfig, 'corpusDir' | 'uploadMaxMb'>, live: LiveServices): CorpusUpdates {
  return {
    corpusDir: config.corpusDir,
    uploadMaxMb: config.uploadMaxMb,
    records: () => live.current().index.records,
    corpusChanged: () => live.corpusChanged(),
  };
}

/** `POST /documents` reply: what the file held and what it added. */
export interface UploadReport {
  /** Corpus-relative path the file was saved as. */
  file: string;
  format: string;
  /** Records read from the file (duplicates inside it already dropped). */
  records: number;
  /** Records that are new to the collection (read minus duplicates of records already there). */
  new_records: number;
  /** Articles of this file already in the collection, or in it twice. */
  duplicates: number;
  /** Entries that could not be read, as `file:line: reason`. */
  skipped: string[];
}

/** One corpus file as `GET /documents` lists it. */
export interface CorpusFileSummary {
  file: string;
  records: number;
  /** True for uploads, which the page may remove. */
  removable: boolean;
}

/**
 * Registers document routes that refuse every change with 409 `corpus_read_only` and the reason (e.g. the index
 * lives in a cluster that `npm run ingest` fills): a clear answer instead of a 404, and the page offers no upload.
 */
export function registerReadOnlyDocuments(app: Hono, reason: string): void {
  const refuse = () => {
    throw new ApiError(409, 'corpus_read_only', reason);
  };
  app.all('/documents', refuse);
  app.all('/documents/*', refuse);
}

/** Registers the document routes. */
export function registerDocumentRoutes(app: Hono, updates: CorpusUpdates): void {
  const maxBytes = updates.uploadMaxMb * 1024 * 1024;
  // Changes are applied one at a time, so two uploads never race to re-index.
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };

  app.get('/documents', async (c) => c.json({ files: await listFiles(updates), upload_max_mb: updates.uploadMaxMb }));

  app.post('/documents', async (c) => {
    const form = await readUploadForm(c.req.raw, maxBytes, updates.uploadMaxMb);
    const files = form.getAll('file').filter((f): f is File => f instanceof File);
    if (files.length !== 1) throw new ApiError(400, 'invalid_request', 'Send exactly one file, in a multipart field named "file".');
    const file = files[0] as File;
    if (file.size > maxBytes) throw new ApiError(413, 'file_too_large', `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB, over the upload limit of ${updates.uploadMaxMb} MB (UPLOAD_MAX_MB).`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const decision = detectFormat(file.name, decodeText(bytes.subarray(0, 64 * 1024)).text);
    if ('unsupported' in decision) throw new ApiError(415, 'unsupported_format', `${file.name}: ${decision.unsupported}`);
    return serialize(async () => {
      const saved = await saveUpload(updates.corpusDir, file.name, bytes).catch((error: unknown) => {
        throw error instanceof UploadNameError ? new ApiError(400, 'invalid_request', error.message) : error;
      });
      const report = await readUpload(updates, saved);
      if (report.records === 0) {
        await rm(path.join(updates.corpusDir, saved), { force: true });
        throw new ApiError(422, 'no_records', `${file.name}: no abstract could be read from it${report.skipped.length ? ` (${report.skipped[0]})` : ''}.`);
      }
      await updates.corpusChanged();
      return c.json(report, 201);
    });
  });

  app.delete('/documents/:file{.+}', async (c) => {
    const file = c.req.param('file');
    if (!file.startsWith(`${UPLOADS_FOLDER}/`)) throw new ApiError(403, 'not_removable', `Only uploaded files (${UPLOADS_FOLDER}/…) can be removed from the page; "${file}" is part of the corpus folder.`);
    return serialize(async () => {
      const removed = updates.records().filter((r) => r.sourceFile === file).length;
      const existed = await removeUpload(updates.corpusDir, file).catch((error: unknown) => {
        throw error instanceof UploadNameError ? new ApiError(400, 'invalid_request', error.message) : error;
      });
      if (!existed) throw new ApiError(404, 'file_not_found', `No uploaded file "${file}"`);
      await updates.corpusChanged();
      return c.json({ file, removed_records: removed });
    });
  });
}

/**
 * Reads a multipart body of at most `maxBytes` (plus framing). An oversized body is read to its end and dropped
 * before the 413 is sent: a server that answers mid-upload makes browsers and fetch report a broken connection
 * instead of the message. Far larger bodies (over 4× the limit) are refused at once from their Content-Length.
 */
async function readUploadForm(request: Request, maxBytes: number, maxMb: number): Promise<FormData> {
  const tooLarge = () => new ApiError(413, 'file_too_large', `The file is larger than the upload limit of ${maxMb} MB (UPLOAD_MAX_MB).`);
  const allowed = maxBytes + 64 * 1024;
  if (Number(request.headers.get('content-length') ?? 0) > 4 * allowed) throw tooLarge();
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) throw new ApiError(400, 'invalid_request', 'Send the file as multipart/form-data in a field named "file".');
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) {
    size += next.value.byteLength;
    if (size <= allowed) chunks.push(next.value);
  }
  if (size > allowed) throw tooLarge();
  try {
    return await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new ApiError(400, 'invalid_request', 'The multipart body could not be read; send the file in a field named "file".');
  }
}

async function readUpload(updates: CorpusUpdates, saved: string): Promise<UploadReport> {
  const read = await readCorpus([path.join(updates.corpusDir, saved)], { root: updates.corpusDir });
  const existing = updates.records();
  const together = dedupeRecords([...existing, ...read.records]);
  const againstCollection = together.duplicates.filter((d) => d.keptFile !== d.droppedFile && (d.keptFile === saved || d.droppedFile === saved)).length;
  return {
    file: saved,
    format: Object.keys(read.summary.byFormat)[0] ?? 'unknown',
    records: read.records.length,
    new_records: read.records.length - againstCollection,
    duplicates: read.summary.duplicates.length + againstCollection,
    skipped: read.issues.map(formatReadIssue),
  };
}

// Uploads with no record of their own (every article was already there) are listed too, so they can be removed.
async function listFiles(updates: CorpusUpdates): Promise<CorpusFileSummary[]> {
  const counts = new Map<string, number>();
  const uploaded = await readdir(path.join(updates.corpusDir, UPLOADS_FOLDER)).catch(() => [] as string[]);
  for (const name of uploaded) if (!name.startsWith('.')) counts.set(`${UPLOADS_FOLDER}/${name}`, 0);
  for (const record of updates.records()) counts.set(record.sourceFile, (counts.get(record.sourceFile) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([file, records]) => ({ file, records, removable: file.startsWith(`${UPLOADS_FOLDER}/`) }));
}
