/**
 * A real collection on one machine: starts `npm start`'s command (package.json) as a child over an already built
 * index, measures cold start (spawn → first /health, first answer, first hybrid answer), then a bounded loopback load of
 * `/ask` from N concurrent clients with distinct questions, and the server's RSS. Stops by itself.
 *
 * Run (SciFact, after `npm run ingest` into that index):
 *   node --import tsx bench/ask-load.ts --corpus-dir DIR --index-dir DIR [--vector-cache-dir DIR]
 *     [--clients 8] [--requests 400] [--questions ../shared/data/scifact/queries_test.jsonl,…queries_dev.jsonl]
 * or on OpenSearch (after `SEARCH_BACKEND=opensearch npm run ingest`, or `npm run eval -- --backend opensearch`,
 * whose index prefix is <OPENSEARCH_INDEX>-eval-scifact):
 *   node --import tsx bench/ask-load.ts --backend opensearch --opensearch-url URL --opensearch-index PREFIX […]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const scifact = path.join(ROOT, '../shared/data/scifact');
const { values } = parseArgs({
  options: {
    'corpus-dir': { type: 'string' },
    'index-dir': { type: 'string' },
    'vector-cache-dir': { type: 'string' },
    backend: { type: 'string', default: 'embedded' },
    'opensearch-url': { type: 'string', default: 'http://127.0.0.1:9200' },
    'opensearch-index': { type: 'string', default: 'abstract-qa' },
    'model-dir': { type: 'string', default: path.join(ROOT, 'models') },
    clients: { type: 'string', default: '8' },
    requests: { type: 'string', default: '400' },
    questions: { type: 'string', default: [path.join(scifact, 'queries_test.jsonl'), path.join(scifact, 'queries_dev.jsonl')].join(',') },
  },
});
const onCluster = values.backend === 'opensearch';
if (!onCluster && (!values['corpus-dir'] || !values['index-dir'])) throw new Error('--corpus-dir and --index-dir are required');

const questions = [...new Set(values.questions!.split(',').flatMap((file) => readFileSync(file, 'utf8').trim().split('\n').map((line) => String(JSON.parse(line).query))))];
const requests = Math.min(Number(values.requests), questions.length);
const clients = Number(values.clients);

// Exactly what `npm start` runs (its node flags included), without npm in between to stop.
const startScript = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
if (startScript[0] !== 'node') throw new Error(`npm start is not a node command: ${startScript.join(' ')}`);
const spawnedAt = performance.now();
const child = spawn(process.execPath, startScript.slice(1), {
  cwd: ROOT,
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    ...(onCluster
      ? { SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: values['opensearch-url'], OPENSEARCH_INDEX: values['opensearch-index'] }
      : { SEARCH_BACKEND: 'embedded', CORPUS_DIR: path.resolve(values['corpus-dir']!), INDEX_DIR: path.resolve(values['index-dir']!) }),
    ...(values['vector-cache-dir'] && { VECTOR_CACHE_DIR: path.resolve(values['vector-cache-dir']) }),
    MODEL_DIR: path.resolve(values['model-dir']!),
    ALLOW_MODEL_DOWNLOAD: 'false',
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let log = '';
try {
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer) => {
      log += data.toString();
      const match = /serving .* at (http:\/\/\S+)/.exec(log);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${log}`)));
  });
  const ask = async (question: string) => {
    const response = await fetch(`${url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
    return (await response.json()) as { retrieval: { mode: string }; citations: unknown[] };
  };
  await fetch(`${url}/health`);
  const firstHealth = performance.now() - spawnedAt;
  let firstAnswer: number | undefined;
  let firstCited: number | undefined;
  let firstHybrid: number | undefined;
  for (let i = 0; firstHybrid === undefined; i++) {
    const answer = await ask(questions[i % questions.length]!);
    firstAnswer ??= performance.now() - spawnedAt;
    // The first answer at all may come from the empty index served in the first moments; this one quotes the corpus.
    if (answer.citations.length > 0) firstCited ??= performance.now() - spawnedAt;
    if (answer.retrieval.mode === 'hybrid') firstHybrid = performance.now() - spawnedAt;
    else await new Promise((resolve) => setTimeout(resolve, 20));
    if (performance.now() - spawnedAt > 600_000) throw new Error('no hybrid answer within 10 min');
  }
  const health = (await (await fetch(`${url}/health`)).json()) as { records: number; chunks: number; retrieval: string };

  // Warm-up on questions not used in the measured run, then the bounded load.
  for (const question of questions.slice(-16)) await ask(question);
  const times: number[] = [];
  let next = 0;
  // Server CPU (all its threads, user + system) per request: what the 2 cores must supply for each answer.
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  };
  const cpuBefore = cpuMs();
  const loadStarted = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        const question = questions[next++]!;
        const t = performance.now();
        await ask(question);
        times.push(performance.now() - t);
      }
    }),
  );
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const cpuPerRequest = (cpuMs() - cpuBefore) / times.length;
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(1);
  console.log(`index: ${health.records} records, ${health.chunks} chunks, retrieval ${health.retrieval}, backend ${values.backend}; load average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(`cold start: first /health ${(firstHealth / 1000).toFixed(2)} s, first answer ${(firstAnswer! / 1000).toFixed(2)} s, first cited answer ${firstCited === undefined ? '–' : `${(firstCited / 1000).toFixed(2)} s`}, first hybrid answer ${(firstHybrid / 1000).toFixed(2)} s`);
  console.log(`/ask at ${clients} concurrent, ${times.length} distinct questions: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${times[times.length - 1]!.toFixed(1)} ms, ${(times.length / loadSeconds).toFixed(1)} req/s, server CPU ${cpuPerRequest.toFixed(1)} ms per request`);
  console.log(`server RSS after the load: ${(kb('VmRSS') / 1024).toFixed(0)} MB (peak ${(kb('VmHWM') / 1024).toFixed(0)} MB; anonymous ${(kb('RssAnon') / 1024).toFixed(0)} MB, mapped files ${(kb('RssFile') / 1024).toFixed(0)} MB)`);
} finally {
  child.kill('SIGTERM');
}
