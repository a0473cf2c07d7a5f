/**
 * `npm run ingest [-- files or folders…] [--force] [--lexical-only]`: copies the given exports into the corpus
 * folder (so `npm start` keeps serving them) and brings the index up to date, with progress and a summary.
 */
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
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
  const services = await openServices(config, logger, {
    force: values.force,
    lexicalOnly: values['lexical-only'],
    onCorpusProgress: (p) => progress.update('reading files', p.filesDone, p.filesTotal, `${p.records} records parsed`),
    onBuildProgress: (p) => progress.update(p.phase === 'embed' ? 'embedding chunks' : p.phase === 'chunk' ? 'chunking records' : 'building HNSW', p.done, p.total),
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
      ? `index: ${build.records} records, ${build.chunks} chunks, ${build.recordsChanged} new/changed, ${build.chunksEmbedded} embedded, ${build.chunksFromCache} from the vector cache, ${build.tookMs} ms (${build.reason})`
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
