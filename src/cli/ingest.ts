/**
 * `npm run ingest [-- files or folders…] [--force] [--lexical-only]`: copies the given exports into the corpus
 * folder (so `npm start` keeps serving them) and brings the index up to date, with progress and a summary.
 */
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type AppConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { ingestIntoCluster } from '../app/cluster-services.js';
import { openServices } from '../app/services.js';
import { createProgressReporter } from './progress.js';
import { runCli } from './run-cli.js';

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false }, 'lexical-only': { type: 'boolean', default: false } },
  });
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  for (const source of positionals) copyIntoCorpus(path.resolve(source), config.corpusDir);

  const progress = createProgressReporter();
  if (config.searchBackend === 'opensearch') {
    await ingestCluster(config, logger, progress, values);
    return;
  }
  const services = await openServices(config, logger, {
    force: values.force,
    lexicalOnly: values['lexical-only'],
    onCorpusProgress: (p) => progress.update('reading files', p.filesDone, p.filesTotal, `${p.records} records parsed`),
    onBuildProgress: (p) => progress.update(p.phase === 'embed' ? 'embedding' : p.phase === 'chunk' ? 'chunking records' : 'building HNSW', p.done, p.total),
  });
  progress.stop();

  const { corpus, build } = services.prepared;
  const s = corpus.summary;
  const formats = Object.entries(s.byFormat).map(([format, n]) => `${format} ${n}`).join(', ') || 'none';
  const lines = [
    `files: ${s.files}   records: ${s.records}   skipped: ${s.skipped}   duplicates: ${s.duplicates.length}`,
    `by format: ${formats}`,
    ...s.duplicates.map((d) => `  duplicate: ${d.dropped} (same ${d.reason} as ${d.kept}, kept the richer record)`),
    ...(s.fallbackFiles.length > 0 ? [`read as plain text (first line = title; check them): ${s.fallbackFiles.join(', ')}`] : []),
    build
      ? `index: ${build.records} records, ${build.chunks} chunks, ${build.recordsChanged} new/changed, ${build.chunksEmbedded} embedded, ${build.chunksFromCache} from the vector cache, ${build.sentencesEmbedded} sentences embedded, ${build.tookMs} ms (${build.reason})`
      : `index: already up to date (${services.index.chunks.length} chunks)`,
    `retrieval: ${services.modelId ? `hybrid (${services.modelId})` : 'LEXICAL ONLY — no embedding model (see the warning above)'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (s.records === 0) {
    process.stderr.write('error: no record could be read from the corpus\n');
    process.exitCode = 1;
  }
});

function copyIntoCorpus(source: string, corpusDir: string): void {
  if (!existsSync(source)) throw new Error(`${source}: no such file or folder`);
  if (statSync(source).isDirectory()) throw new Error(`${source} is a folder: copy its files into ${corpusDir}, or set CORPUS_DIR to it`);
  if (path.dirname(source) === corpusDir) return;
  const target = path.join(corpusDir, path.basename(source));
  if (existsSync(target) && !readFileSync(target).equals(readFileSync(source))) {
    throw new Error(`${target} already exists with different content; rename the file you are adding`);
  }
  copyFileSync(source, target);
}

// SEARCH_BACKEND=opensearch: the same corpus reading and incremental rules, written into the cluster.
async function ingestCluster(config: AppConfig, logger: Logger, progress: ReturnType<typeof createProgressReporter>, flags: { force: boolean; 'lexical-only': boolean }) {
  const result = await ingestIntoCluster(config, logger, {
    force: flags.force,
    lexicalOnly: flags['lexical-only'],
    onCorpusProgress: (p) => progress.update('reading files', p.filesDone, p.filesTotal, `${p.records} records parsed`),
    onProgress: (done, total) => progress.update('writing to OpenSearch', done, total, 'records'),
  });
  progress.stop();
  const { summary: s } = result.corpus;
  const { sync } = result;
  const seconds = sync.tookMs / 1000;
  const lines = [
    `files: ${s.files}   records: ${s.records}   skipped: ${s.skipped}   duplicates: ${s.duplicates.length}`,
    `OpenSearch ${config.opensearch.url} index "${config.opensearch.indexPrefix}": ${sync.records} records, ${sync.recordsChanged} new/changed, ${sync.recordsRemoved} removed, ` +
      `${sync.chunksWritten} chunks written in ${seconds.toFixed(1)} s (${(sync.chunksWritten / Math.max(seconds, 1e-3)).toFixed(0)} chunks/s)` +
      `${sync.rebuilt ? ` (indexes created: ${sync.rebuilt})` : ''}`,
    `vectors: ${result.embedded} embedded, ${result.fromCache} from the vector cache, ${result.sentencesEmbedded} sentences embedded`,
    `retrieval: ${result.modelId ? `hybrid (${result.modelId})` : `LEXICAL ONLY — ${result.modelProblem ?? 'no embedding model'}`}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (s.records === 0) {
    process.stderr.write('error: no record could be read from the corpus\n');
    process.exitCode = 1;
  }
}
