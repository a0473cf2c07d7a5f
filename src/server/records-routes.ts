/**
 * The collection over HTTP: `GET /records` (a page of it, filtered by title), `GET /records/:id` (one record),
 * and `GET|POST /records/export` (records as RIS or BibTeX, for Zotero, EndNote, NoteExpress or LaTeX).
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { writeBibtex } from '../corpus/export/bibtex-writer.js';
import { writeRis } from '../corpus/export/ris-writer.js';
import { ApiError } from './errors.js';
import type { Collection } from './collection.js';
import { recordPage } from './record-list.js';
import { describeIssues } from './schemas.js';

/** Most records one export may hold. */
export const MAX_EXPORT_RECORDS = 500;

const listQuerySchema = z
  .object({
    q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const exportSchema = z
  .object({
    ids: z.array(z.string().min(1).max(300)).min(1, 'name at least one record').max(MAX_EXPORT_RECORDS, `at most ${MAX_EXPORT_RECORDS} records per export`),
    format: z.enum(['ris', 'bibtex']),
  })
  .strict();

const FORMATS = {
  ris: { write: writeRis, type: 'application/x-research-info-systems; charset=utf-8', extension: 'ris' },
  bibtex: { write: writeBibtex, type: 'application/x-bibtex; charset=utf-8', extension: 'bib' },
} as const;

/** What the routes read; the collection is looked up per request, so a swapped-in index is served at once. */
export interface RecordRoutesDeps {
  collection(): Collection;
  limitBody: MiddlewareHandler;
}

/** Registers the record routes (before any other `/records/*` route, so `export` is not taken for an id). */
export function registerRecordRoutes(app: Hono, deps: RecordRoutesDeps): void {
  app.get('/records', async (c) => {
    const query = parse(listQuerySchema, c.req.query());
    return c.json(recordPage(await deps.collection().listRecords(query), query));
  });

  // GET for links (`?id=a&id=b&format=ris`), POST for selections too long for a URL.
  app.get('/records/export', (c) => {
    const { format, ...rest } = c.req.query();
    const unknown = Object.keys(rest).filter((key) => key !== 'id');
    if (unknown.length > 0) throw new ApiError(400, 'invalid_request', `unknown query parameter(s): ${unknown.join(', ')}`);
    return sendExport(c, parse(exportSchema, { ids: c.req.queries('id') ?? [], format }), deps.collection());
  });
  app.post('/records/export', deps.limitBody, async (c) => {
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      throw new ApiError(400, 'invalid_json', 'Request body must be JSON, e.g. {"ids": ["…"], "format": "ris"}');
    }
    return sendExport(c, parse(exportSchema, json), deps.collection());
  });

  app.get('/records/:id', async (c) => {
    const id = c.req.param('id');
    const [record] = await deps.collection().records([id]);
    if (!record) throw new ApiError(404, 'record_not_found', `No record with id "${id}"`);
    return c.json(record);
  });
}

async function sendExport(c: Context, request: z.infer<typeof exportSchema>, collection: Collection): Promise<Response> {
  const ids = [...new Set(request.ids)];
  const records = await collection.records(ids);
  const found = new Set(records.map((record) => record.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new ApiError(404, 'record_not_found', `No record with id ${missing.map((id) => `"${id}"`).join(', ')}`);
  const format = FORMATS[request.format];
  const name = `abstract-qa-${records.length}-record${records.length === 1 ? '' : 's'}.${format.extension}`;
  c.header('Content-Type', format.type);
  c.header('Content-Disposition', `attachment; filename="${name}"`);
  return c.body(format.write(records));
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', describeIssues(parsed.error));
  return parsed.data;
}
