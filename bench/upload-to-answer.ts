/**
 * Upload to first answerable question (issue #14): a 1,000-record PubMed XML file (the PubMedQA abstracts, written
 * as PubMed efetch XML) is sent to `POST /documents` of a live server over the shipped corpus, with the real
 * multilingual-e5-small when models/ has it. Measured: the upload reply (saved, read, report, keyword index
 * served), the first /ask citing an uploaded abstract (keyword), and the end of the background embedding after
 * which retrieval is hybrid again and the same question is still answered from the upload.
 * Run: nice -n 10 node --import tsx bench/upload-to-answer.ts [--records 1000] [--data ../shared/data]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/server/app.js';
import { liveCorpusUpdates } from '../src/server/documents-routes.js';
import { startServices } from '../src/app/live-services.js';
import { startServer } from '../src/server/serve.js';
import { createTempProject, REPO_ROOT } from './support/temp-project.js';

const SHARED_DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');
const { values } = parseArgs({ options: { records: { type: 'string', default: '1000' }, data: { type: 'string', default: SHARED_DATA_DIR } } });
const count = Number(values.records);
const dataDir = values.data ?? SHARED_DATA_DIR;
const documents = path.join(dataDir, 'pubmedqa_pqal', 'documents.jsonl');
const queries = path.join(dataDir, 'pubmedqa_pqal', 'queries_dev.jsonl');
if (!existsSync(documents)) throw new Error(`${documents} not found (pass --data)`);

const realModel = path.join(REPO_ROOT, 'models');
const withRealModel = existsSync(path.join(realModel, 'Xenova/multilingual-e5-small/onnx/model_quantized.onnx'));
const project = createTempProject({ env: { UPLOAD_MAX_MB: '50', ...(withRealModel && { MODEL_DIR: realModel }) } });
const log = (line: string) => console.log(`[${(performance.now() / 1000).toFixed(1)} s] ${line}`);

try {
  const docs = readFileSync(documents, 'utf8').trim().split('\n').slice(0, count).map((l) => JSON.parse(l) as { id: string; abstract: string });
  const xml = pubmedXml(docs);
  const question = readFileSync(queries, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { query: string; gold_doc_ids: string[] })
    .find((q) => docs.some((d) => d.id === q.gold_doc_ids[0]))!;
  const goldPmid = `pmid-${question.gold_doc_ids[0]!.replace('pubmedqa-', '')}`;

  const live = startServices(project.config, createLogger('warn'));
  await live.idle();
  const server = await startServer(createApp(live, { corpusUpdates: liveCorpusUpdates(project.config, live) }), { host: '127.0.0.1', port: 0 });
  const health = async () => (await fetch(`${server.url}/health`)).json();
  log(`serving ${(await health()).records} records (${(await health()).retrieval}); uploading ${docs.length} records, ${(xml.length / 1e6).toFixed(1)} MB`);

  const form = new FormData();
  form.append('file', new Blob([xml]), 'pubmedqa-1000.xml');
  const t0 = performance.now();
  const reply = await fetch(`${server.url}/documents`, { method: 'POST', body: form });
  const report = await reply.json();
  const tReply = performance.now() - t0;
  log(`upload reply ${reply.status} after ${(tReply / 1000).toFixed(2)} s: ${JSON.stringify({ ...report, skipped: report.skipped?.length })}`);
  const ask = async () => {
    const body = await (await fetch(`${server.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: question.query }) })).json();
    return { cited: body.citations.some((c: { id: string }) => c.id === goldPmid), mode: body.retrieval.mode as string };
  };
  const first = await ask();
  const tFirst = performance.now() - t0;
  log(`first question "${question.query}": gold abstract cited=${first.cited} via ${first.mode} at ${(tFirst / 1000).toFixed(2)} s`);
  let h = await health();
  let polls = 0;
  while (h.indexing || h.retrieval !== 'hybrid') {
    if (polls++ % 15 === 0) log(`indexing: ${JSON.stringify(h.indexing ?? h.retrieval)}`);
    await new Promise((r) => setTimeout(r, 2000));
    h = await health();
    if (!h.indexing && !withRealModel) break;
  }
  const tHybrid = performance.now() - t0;
  const again = await ask();
  log(`hybrid ready at ${(tHybrid / 1000).toFixed(1)} s (${h.records} records, ${h.chunks} chunks, model ${h.model}); same question cited=${again.cited} via ${again.mode}`);
  console.log(`\nfigures: upload reply ${(tReply / 1000).toFixed(2)} s | first answerable (${first.mode}) ${(tFirst / 1000).toFixed(2)} s | hybrid ${(tHybrid / 1000).toFixed(1)} s | load ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await live.close();
  await server.close();
} finally {
  project.cleanup();
}

function pubmedXml(docs: Array<{ id: string; abstract: string }>): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const articles = docs.map((d) => {
    const sections = d.abstract.split('\n').map((part) => {
      const label = /^([A-Z][A-Z ]+): /.exec(part);
      return label ? `<AbstractText Label="${label[1]}">${escape(part.slice(label[0].length))}</AbstractText>` : `<AbstractText>${escape(part)}</AbstractText>`;
    });
    return `<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">${d.id.replace('pubmedqa-', '')}</PMID><Article PubModel="Print"><ArticleTitle></ArticleTitle><Abstract>${sections.join('')}</Abstract><Language>eng</Language></Article></MedlineCitation></PubmedArticle>`;
  });
  return `<?xml version="1.0" ?>\n<PubmedArticleSet>\n${articles.join('\n')}\n</PubmedArticleSet>\n`;
}
