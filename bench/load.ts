/**
 * Bounded loopback load on `POST /ask` against `npm start` (real model when models/ has it, shipped corpus), run as
 * a child process so its RSS and its exit code are the server's own. Stops by itself after --seconds.
 *
 *   node --import tsx bench/load.ts --clients 8 --seconds 60 --limits off
 *   node --import tsx bench/load.ts --clients 32 --seconds 60 --limits on     # MAX_CONCURRENT=4, API key per client
 *   node --import tsx bench/load.ts --clients 8 --seconds 30 --limits off --sigterm-after 15
 *
 * Prints requests, status codes, errors, p50/p95/p99 (of all replies and of the 200s) and server RSS over time.
 * Clients honour `Retry-After` on 429/503, as a well-behaved client does. With --sigterm-after the server gets
 * SIGTERM mid-load: every request it accepted must complete (200) or get a clean 503, and it must exit 0.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '60' },
    limits: { type: 'string', default: 'off' },
    'max-concurrent': { type: 'string', default: '4' },
    'rate-per-min': { type: 'string', default: '6000' },
    'sigterm-after': { type: 'string' },
    // Repeated questions hit the query-embedding cache and cost ~1 ms of synchronous work; unique ones embed
    // every time (async, in ONNX threads), which is what a crowd of real users costs.
    repeat: { type: 'boolean', default: false },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);
const limitsOn = values.limits === 'on';
const sigtermAfter = values['sigterm-after'] === undefined ? undefined : Number(values['sigterm-after']);
const root = path.resolve(import.meta.dirname, '..');
const keys = Array.from({ length: clients }, (_, i) => `bench-client-${i + 1}`);

const limitEnv: Record<string, string> = limitsOn
  ? { API_KEYS: keys.join(','), RATE_LIMIT_PER_MIN: values['rate-per-min']!, MAX_CONCURRENT: values['max-concurrent']!, MAX_QUEUE: '8' }
  : { API_KEYS: '', RATE_LIMIT_PER_MIN: '0', MAX_CONCURRENT: '0' };
mkdirSync(path.join(root, '.cache'), { recursive: true });
const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
  cwd: root,
  // A cached index folder of its own: the first run embeds the shipped corpus, later runs load it.
  env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', CORPUS_DIR: 'corpus', INDEX_DIR: '.cache/bench-load-index', ...limitEnv },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let log = '';
const url = await new Promise<string>((resolve, reject) => {
  server.stderr!.on('data', (data: Buffer) => {
    log += data.toString();
    const match = /serving .* at (http:\/\/\S+)/.exec(log);
    if (match) resolve(match[1]!);
  });
  server.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
});
const mode = /hybrid retrieval|LEXICAL-ONLY/.exec(log)?.[0] ?? '?';

const questions = [
  'What strategies can prevent or reverse CAR-T cell exhaustion?',
  '如何逆转CAR-T细胞耗竭？',
  'How does PD-1 blockade affect T cell exhaustion?',
  'What limits CAR-T cells in solid tumors?',
  'OX40在T细胞活化中的作用是什么？',
  'Does 4-1BB costimulation reduce exhaustion?',
];

// Warm-up, not measured: the first answers pay for JIT and model start-up, which is not what a load test measures.
for (const question of questions) {
  await fetch(`${url}/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(limitsOn && { authorization: `Bearer ${keys[0]}` }) },
    body: JSON.stringify({ question }),
  }).then((r) => r.text());
}

const rss: Array<{ t: number; mb: number }> = [];
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const sampler = setInterval(() => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]);
    rss.push({ t: elapsed(), mb: kb / 1024 });
  } catch {
    // The server has exited.
  }
}, 1000);

const statuses = new Map<string, number>();
const latencies: number[] = [];
const okLatencies: number[] = [];
const errors = new Map<string, number>();
let stopAt = seconds;
let serverGone = false;
const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function client(i: number): Promise<void> {
  let n = i;
  while (elapsed() < stopAt && !serverGone) {
    const t = performance.now();
    try {
      const response = await fetch(`${url}/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(limitsOn && { authorization: `Bearer ${keys[i]}` }) },
        body: JSON.stringify({ question: values.repeat ? questions[n % questions.length] : `${questions[n % questions.length]} (${i}-${n})` }),
      });
      n++;
      const body = await response.text();
      const ms = performance.now() - t;
      latencies.push(ms);
      const code = response.status === 200 ? '' : ` ${(/"code":"(\w+)"/.exec(body) ?? [])[1] ?? '?'}`;
      count(statuses, `${response.status}${code}`);
      if (response.status === 200) okLatencies.push(ms);
      const retryAfter = Number(response.headers.get('retry-after') ?? 0);
      if (response.status === 503 && /shutting_down/.test(body)) return; // this server is going away
      if (retryAfter > 0) await sleep(retryAfter * 1000);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      // Refused = the listener is closed: the request was never accepted, which is what shutdown promises.
      count(errors, cause === 'ECONNREFUSED' ? 'ECONNREFUSED (not accepted)' : cause);
      if (sigtermAfter !== undefined && elapsed() >= sigtermAfter) return;
    }
  }
}

let exit: Promise<{ code: number | null; afterSigtermS: number }> | undefined;
if (sigtermAfter !== undefined) {
  setTimeout(() => {
    const sentAt = elapsed();
    exit = new Promise((resolve) => server.once('exit', (code) => ((serverGone = true), resolve({ code, afterSigtermS: elapsed() - sentAt }))));
    server.kill('SIGTERM');
  }, sigtermAfter * 1000);
  stopAt = sigtermAfter + 30;
}
await Promise.all(keys.map((_, i) => client(i)));
const loadSeconds = elapsed();
clearInterval(sampler);
if (!exit) {
  exit = new Promise((resolve) => server.once('exit', (code) => resolve({ code, afterSigtermS: 0 })));
  server.kill('SIGTERM');
}
const { code: exitCode, afterSigtermS } = await exit;

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`;
const total = [...statuses.values()].reduce((a, b) => a + b, 0);
const mb = rss.map((r) => r.mb);
const third = Math.max(1, Math.floor(mb.length / 3));
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

console.log(`load: ${clients} clients × ${seconds} s on POST /ask (${values.repeat ? 'repeated' : 'unique'} questions), limits ${limitsOn ? `ON (API key per client, MAX_CONCURRENT=${values['max-concurrent']}, MAX_QUEUE=8, RATE_LIMIT_PER_MIN=${values['rate-per-min']})` : 'OFF'}, ${mode}`);
console.log(`requests: ${total} answered in ${loadSeconds.toFixed(1)} s (${(total / loadSeconds).toFixed(1)}/s)`);
console.log(`status codes: ${[...statuses].sort().map(([k, v]) => `${k}: ${v}`).join(', ') || 'none'}`);
console.log(`non-2xx: ${total - (statuses.get('200') ?? 0)}`);
console.log(`errors (no reply): ${[...errors].map(([k, v]) => `${k}: ${v}`).join(', ') || 0}`);
console.log(`latency, all replies: ${fmt(latencies)}`);
console.log(`latency, 200s: ${fmt(okLatencies)}`);
if (mb.length > 0) {
  console.log(
    `server RSS: start ${mb[0]!.toFixed(0)} MB, max ${Math.max(...mb).toFixed(0)} MB, end ${mb.at(-1)!.toFixed(0)} MB; ` +
      `mean of first third ${avg(mb.slice(0, third)).toFixed(0)} MB vs last third ${avg(mb.slice(-third)).toFixed(0)} MB`,
  );
}
if (sigtermAfter !== undefined) {
  console.log(`SIGTERM at ${sigtermAfter} s: server exited with code ${exitCode} ${afterSigtermS.toFixed(2)} s later`);
  console.log(`server log after SIGTERM: ${log.slice(log.indexOf('SIGTERM')).trim().split('\n').map((l) => l.replace(/^\S+ /, '')).join(' | ')}`);
} else {
  console.log(`server exit code after the load: ${exitCode}`);
}
