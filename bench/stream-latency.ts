/**
 * Time from question to first streamed answer text on the shipped demo corpus: the real server on port 0,
 * `POST /ask/stream` over HTTP, timed from just before the request is sent to the arrival of the first `answer`
 * event. Also reports the `sources` event (first byte the page can render) and `done` (whole reply, which
 * includes the pacing between answer pieces).
 *
 *   node --import tsx bench/stream-latency.ts [--rounds 1] [--json out.json]
 *
 * Each round asks the 30 questions below once (English, Chinese and follow-ups with history); one unmeasured
 * request warms the server up first. Retrieval is lexical here (no model in a fresh clone), as in the tests.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/server/app.js';
import { startServer } from '../src/server/serve.js';
import { openServices } from '../src/app/services.js';
import { createTempProject } from './support/temp-project.js';

interface Ask {
  question: string;
  history?: string[];
}

const QUESTIONS: Ask[] = [
  { question: 'What strategies can prevent or reverse CAR-T cell exhaustion?' },
  { question: 'How does T cell exhaustion limit CAR-T therapy?' },
  { question: 'Does 4-1BB costimulation reduce exhaustion induced by tonic CAR signaling?' },
  { question: 'Does PD-1 blockade work in melanoma?' },
  { question: 'Is PD-L1 expression associated with clinical outcomes in human cancers?' },
  { question: 'What is the long-term outcome of CD19 CAR therapy in acute lymphoblastic leukemia?' },
  { question: 'How effective is axicabtagene ciloleucel in refractory large B-cell lymphoma?' },
  { question: 'Can epigenetic therapy reverse immune evasion in lung cancer?' },
  { question: 'How do myeloid-derived suppressor cells suppress antitumor immunity?' },
  { question: 'What role does interferon gamma play in tumor immune surveillance?' },
  { question: 'Do tumor-associated macrophages predict outcome in breast cancer?' },
  { question: 'How does IL-6 reprogram host metabolism to suppress anti-tumor immunity?' },
  { question: 'Does radiation combined with dual checkpoint blockade activate immune mechanisms?' },
  { question: 'Can CD4+ T cells kill melanoma cells directly?' },
  { question: 'How do cancer-associated fibroblasts alter the antitumor immune response?' },
  { question: 'What is the best recipe for sourdough bread?' },
  { question: 'What is the boiling point of water at high altitude?' },
  { question: 'Are CTLA4 mutations linked to immune dysregulation?' },
  { question: 'How do ImmTACs redirect T cells to kill tumour cells?' },
  { question: 'Does SATB1 repress PD-1 in tumor-reactive T cells?' },
  { question: '如何逆转CAR-T细胞耗竭？' },
  { question: 'CAR-T细胞耗竭的机制是什么？' },
  { question: 'OX40与T细胞的关系是什么？' },
  { question: 'DCIK细胞治疗肺癌的临床疗效如何？' },
  { question: '自然杀伤细胞和树突状细胞如何相互作用？' },
  { question: '如何烤制酸面包？' },
  { question: 'and in solid tumours?', history: ['How does CAR-T cell exhaustion occur?'] },
  { question: 'what about melanoma?', history: ['Does PD-1 blockade improve survival?'] },
  { question: '那如何逆转？', history: ['CAR-T细胞耗竭的机制是什么？'] },
  { question: 'and in lymphoma?', history: ['How does CAR-T cell exhaustion occur?', 'and in solid tumours?'] },
];

interface Timing {
  sources: number;
  firstToken: number;
  done: number;
}

/** Sends one question and times the events as they arrive. */
async function timeOne(url: string, ask: Ask): Promise<Timing> {
  const started = performance.now();
  const response = await fetch(`${url}/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ask) });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} for ${ask.question}`);
  const timing: Partial<Timing> = {};
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop()!;
    for (const block of blocks) {
      const event = /^event: (\w+)/m.exec(block)?.[1];
      const at = performance.now() - started;
      if (event === 'sources') timing.sources ??= at;
      if (event === 'answer') timing.firstToken ??= at;
      if (event === 'done') timing.done = at;
      if (event === 'error') throw new Error(`error event for ${ask.question}: ${block}`);
    }
  }
  if (timing.sources === undefined || timing.firstToken === undefined || timing.done === undefined) throw new Error(`incomplete stream for ${ask.question}`);
  return timing as Timing;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '1' }, json: { type: 'string' } } });
const rounds = Math.max(1, Number(values.rounds));
const project = createTempProject();
try {
  const services = await openServices(project.config, createLogger('silent'));
  const server = await startServer(createApp(services), { host: '127.0.0.1', port: 0 });
  try {
    await timeOne(server.url, QUESTIONS[0]!);
    const timings: Timing[] = [];
    for (let round = 0; round < rounds; round++) for (const ask of QUESTIONS) timings.push(await timeOne(server.url, ask));
    const summary = Object.fromEntries(
      (['sources', 'firstToken', 'done'] as const).map((key) => {
        const list = timings.map((t) => t[key]);
        const round1 = (n: number) => Math.round(n * 10) / 10;
        return [key, { p50: round1(percentile(list, 50)), p95: round1(percentile(list, 95)), max: round1(Math.max(...list)) }];
      }),
    );
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0]!.toFixed(2)}, Node ${process.version}`;
    const retrieval = services.modelId ? `hybrid (${services.modelId})` : 'lexical';
    console.log(`POST /ask/stream on the demo corpus (${services.index.records.length} abstracts, ${retrieval} retrieval), ${timings.length} questions; ${machine}`);
    console.log('event              p50 ms   p95 ms   max ms');
    const label: Record<string, string> = { sources: 'sources (1st byte)', firstToken: 'first answer text', done: 'done (whole reply)' };
    for (const [key, s] of Object.entries(summary)) console.log(`${label[key]!.padEnd(18)} ${String(s.p50).padStart(7)}  ${String(s.p95).padStart(7)}  ${String(s.max).padStart(7)}`);
    if (values.json) writeFileSync(values.json, `${JSON.stringify({ machine, retrieval, questions: timings.length, summary }, null, 2)}\n`);
  } finally {
    await server.close();
  }
} finally {
  project.cleanup();
}
