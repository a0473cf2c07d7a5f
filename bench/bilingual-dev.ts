/**
 * The bilingual dev set (bench/bilingual-dev/questions.jsonl): Chinese questions over the English abstracts of the
 * shipped corpus and English questions over its Chinese ones, written for issue #9. Asks each through the product's
 * AnswerEngine and prints how often the right abstract is cited first, and how often the answer is grounded, in
 * lexical mode and, when models/ has multilingual-e5-small, in hybrid mode with semantic evidence. A dev set: tune on it.
 *
 *   node --import tsx bench/bilingual-dev.ts [--lexical-only]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AnswerEngine } from '../src/answer/answer-engine.js';
import { loadConfig } from '../src/config.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { buildEvalIndex } from '../src/eval/eval-index.js';
import { loadEmbeddingModel, modelLoadOptions, type LoadedModel } from '../src/ingest/model-loader.js';
import { Retriever } from '../src/retrieve/retriever.js';
import { createTokenizer } from '../src/text/tokenize.js';

interface DevQuestion {
  id: string;
  question: string;
  lang: 'en' | 'zh';
  gold: string;
}

const root = path.resolve(import.meta.dirname, '..');
const questions = readFileSync(path.join(root, 'bench', 'bilingual-dev', 'questions.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as DevQuestion);
const corpusDir = path.join(root, 'corpus');
const { records } = await readCorpus([corpusDir], { root: corpusDir });
const tokenizer = createTokenizer();
const chunking = { maxTokens: 380, overlapTokens: 60 };

async function run(label: string, model?: LoadedModel): Promise<void> {
  const cacheDir = path.join(root, '.cache', 'eval-index', 'bilingual-dev');
  const { index } = await buildEvalIndex({ records, tokenizer, chunking, model, cacheDir });
  const engine = new AnswerEngine(new Retriever(index, tokenizer, model?.embeddings), tokenizer, { embedder: model?.embeddings });
  const byLang = new Map<string, { n: number; first: number; grounded: number; groundedFirst: number }>();
  const misses: string[] = [];
  for (const q of questions) {
    const answer = await engine.ask({ question: q.question });
    const first = answer.citations[0]?.id === q.gold;
    const tally = byLang.get(q.lang) ?? { n: 0, first: 0, grounded: 0, groundedFirst: 0 };
    tally.n++;
    tally.first += Number(first);
    tally.grounded += Number(answer.grounded);
    tally.groundedFirst += Number(first && answer.grounded);
    byLang.set(q.lang, tally);
    if (!first || !answer.grounded) misses.push(`  ${q.id} ${first ? 'right first, refused' : `cited ${answer.citations[0]?.id ?? 'nothing'}`}: ${q.question}`);
  }
  const total = [...byLang.values()].reduce((a, t) => ({ n: a.n + t.n, first: a.first + t.first, grounded: a.grounded + t.grounded, groundedFirst: a.groundedFirst + t.groundedFirst }));
  const pct = (x: number, n: number) => `${((100 * x) / n).toFixed(1)}%`;
  console.log(`\n${label} (${index.manifest.model?.id ?? 'no model'}), ${questions.length} questions`);
  console.log('question  n   right abstract cited first   grounded   grounded with right first');
  for (const [lang, t] of [...byLang, ['all', total] as const]) {
    const direction = lang === 'zh' ? 'zh→en' : lang === 'en' ? 'en→zh' : 'all  ';
    console.log(`${direction}     ${String(t.n).padStart(2)}  ${pct(t.first, t.n).padStart(12)}                ${pct(t.grounded, t.n).padStart(7)}    ${pct(t.groundedFirst, t.n).padStart(7)}`);
  }
  if (misses.length > 0) console.log(`misses:\n${misses.join('\n')}`);
}

await run('lexical');
if (!process.argv.includes('--lexical-only')) {
  const loaded = await loadEmbeddingModel(modelLoadOptions(loadConfig()));
  if (loaded.ok) await run('hybrid + semantic evidence', loaded.model);
  else console.log(`\nhybrid NOT RUN: ${loaded.reason}`);
}
