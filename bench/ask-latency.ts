/**
 * Index build time and /ask latency over a real HTTP server, for the shipped corpus: lexical mode, the generated
 * tiny model (meaningless vectors, but the pipeline's cost minus model size), and the real multilingual-e5-small
 * when scripts/fetch-model has built it into models/.
 * Run: node --import tsx bench/ask-latency.ts [--questions 100]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/server/app.js';
import { startServer } from '../src/server/serve.js';
import { openServices } from '../src/app/services.js';
import { createTempProject } from './support/temp-project.js';

const { values } = parseArgs({ options: { questions: { type: 'string', default: '100' } } });
const count = Number(values.questions);

const realModelDir = path.resolve('models');
const setups: Array<{ label: string; withModel?: boolean; env?: Record<string, string> }> = [
  { label: 'lexical (no model)' },
  { label: 'hybrid, generated test model', withModel: true },
];
if (existsSync(path.join(realModelDir, 'Xenova/multilingual-e5-small/onnx/model_quantized.onnx'))) {
  setups.push({ label: 'hybrid, real multilingual-e5-small', env: { MODEL_DIR: realModelDir } });
}

for (const setup of setups) {
  const project = createTempProject({ withModel: setup.withModel, env: setup.env });
  try {
    const started = performance.now();
    const services = await openServices(project.config, createLogger('silent'));
    const buildMs = performance.now() - started;
    const server = await startServer(createApp(services), { host: '127.0.0.1', port: 0 });
    const questions = makeQuestions(services.index.records.map((r) => r.title || r.abstract.slice(0, 40)), count);
    const times: number[] = [];
    for (const question of questions) {
      const t = performance.now();
      const response = await fetch(`${server.url}/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question }),
      });
      await response.json();
      times.push(performance.now() - t);
    }
    await server.close();
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(1);
    console.log(
      `${setup.label.padEnd(36)} records=${services.index.records.length} chunks=${services.index.chunks.length} ` +
        `build(read+load+index)=${buildMs.toFixed(0)} ms  /ask over HTTP n=${times.length}: p50=${pct(50)} ms p95=${pct(95)} ms max=${times[times.length - 1]!.toFixed(1)} ms`,
    );
  } finally {
    project.cleanup();
  }
}

function makeQuestions(titles: string[], n: number): string[] {
  const zh = ['如何逆转CAR-T细胞耗竭？', 'PD-1抑制剂的作用机制是什么？', 'OX40在T细胞中的作用', '肺癌的过继免疫治疗效果如何？'];
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    out.push(i % 5 === 4 ? zh[i % zh.length]! : `What is known about ${titles[i % titles.length]!.replace(/[.?]$/, '').toLowerCase()}?`);
  }
  return out;
}
