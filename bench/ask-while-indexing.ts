/**
 * `/ask` latency while an index is being built in the background vs idle, side by side in one run (issue #10's
 * "p95 while indexing / idle ≤ 3"), with the real model, through a real HTTP server on loopback:
 * 1. serve the shipped corpus, hybrid (its 85 passages embedded first);
 * 2. idle: N distinct questions from C concurrent clients;
 * 3. add SciFact abstracts to the corpus, re-index in the background, and ask the next N questions while the
 *    embedding processes embed them; also the slowest `GET /health` during the build.
 * Run: nice -n 10 node --import tsx bench/ask-while-indexing.ts [--clients 4] [--questions 120] [--add 400]
 */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/server/app.js';
import { startServices } from '../src/app/live-services.js';
import { startServer } from '../src/server/serve.js';
import { createTempProject } from './support/temp-project.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const scifact = path.join(ROOT, '../shared/data/scifact');
const { values } = parseArgs({ options: { clients: { type: 'string', default: '4' }, questions: { type: 'string', default: '120' }, add: { type: 'string', default: '400' } } });
const clients = Number(values.clients);
const perPhase = Number(values.questions);
const questions = readFileSync(path.join(scifact, 'queries_dev.jsonl'), 'utf8').trim().split('\n').map((line) => String(JSON.parse(line).query));

const project = createTempProject();
const config = loadConfig({ CORPUS_DIR: 'corpus', INDEX_DIR: 'index', VECTOR_CACHE_DIR: 'vectors', MODEL_DIR: path.join(ROOT, 'models'), ALLOW_MODEL_DOWNLOAD: 'false' }, project.root);
const live = startServices(config, createLogger('warn'));
try {
  await live.idle();
  if (!live.current().modelId) throw new Error('the real model did not load: run scripts/fetch-model first');
  const server = await startServer(createApp(live), { host: '127.0.0.1', port: 0 });
  let next = 0;
  const measure = async () => {
    const times: number[] = [];
    const end = next + perPhase;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < end) {
          const question = questions[next++]!;
          const t = performance.now();
          const response = await fetch(`${server.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
          await response.json();
          times.push(performance.now() - t);
        }
      }),
    );
    return times.sort((a, b) => a - b);
  };
  const pct = (times: number[], p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;

  for (const question of questions.slice(-8)) await fetch(`${server.url}/ask`, { method: 'POST', body: JSON.stringify({ question }), headers: { 'content-type': 'application/json' } });
  const idle = await measure();

  const added = readFileSync(path.join(scifact, 'documents.jsonl'), 'utf8').trim().split('\n').slice(0, Number(values.add));
  appendFileSync(path.join(project.corpusDir, 'scifact-part.jsonl'), `${added.join('\n')}\n`);
  const rebuilding = live.reindex();
  while (live.indexing()?.phase !== 'embed') await new Promise((resolve) => setTimeout(resolve, 50));
  let slowestHealth = 0;
  const healthProbe = setInterval(async () => {
    const t = performance.now();
    await (await fetch(`${server.url}/health`)).json();
    slowestHealth = Math.max(slowestHealth, performance.now() - t);
  }, 500);
  const during = await measure();
  clearInterval(healthProbe);
  const progress = live.indexing();
  console.log(`corpus ${live.current().index.records.length} records served; background build of +${added.length} abstracts ${progress ? `still embedding (${progress.done}/${progress.total}, ${progress.rate}/s)` : 'FINISHED before the measurement ended (use a larger --add)'}`);
  console.log(`/ask idle           : p50 ${pct(idle, 50).toFixed(1)} ms, p95 ${pct(idle, 95).toFixed(1)} ms (${clients} clients, ${idle.length} questions)`);
  console.log(`/ask while indexing : p50 ${pct(during, 50).toFixed(1)} ms, p95 ${pct(during, 95).toFixed(1)} ms`);
  console.log(`p95 ratio while indexing / idle: ${(pct(during, 95) / pct(idle, 95)).toFixed(2)}; slowest GET /health during the build: ${slowestHealth.toFixed(1)} ms`);
  await live.close();
  await rebuilding.catch(() => {});
  await server.close();
} finally {
  await live.close();
  project.cleanup();
}
// The server's model thread keeps a process alive until it exits, as the server's own shutdown does.
process.exit(0);
