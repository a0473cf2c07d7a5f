/**
 * Print what a converted model folder holds: source, file sizes, and its recorded verification.
 *   node --import tsx scripts/model/summary.ts models/Xenova/multilingual-e5-small
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: summary.ts MODEL_FOLDER');
  process.exit(1);
}
const read = (f: string): Record<string, unknown> | null => (existsSync(join(dir, f)) ? (JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>) : null);
const source = read('SOURCE.json');
const verify = read('VERIFY.json');
const mb = (f: string): string => (existsSync(join(dir, f)) ? `${(statSync(join(dir, f)).size / 1e6).toFixed(1)} MB` : 'absent');

console.log(`model folder: ${dir}`);
if (source) console.log(`source: PyPI ${String(source['package'])} ${String(source['version'])} (wheel sha256 ${String(source['wheel_sha256'] ?? '?').slice(0, 16)}…), ${String(source['model'])}`);
const withTables = (f: string): string => `${f} ${mb(f)}${existsSync(join(dir, `${f}_data`)) ? ` + ${mb(`${f}_data`)} mapped lookup tables` : ''}`;
console.log(`files: ${withTables('onnx/model_quantized.onnx')}, ${withTables('onnx/model.onnx')}, tokenizer.json ${mb('tokenizer.json')}`);
if (!verify) {
  console.log('verification: none recorded');
} else {
  console.log(`verification: ${verify['pass'] ? 'PASSED' : 'FAILED'} against ${String(verify['reference'])} on ${String(verify['sentences'])} sentences (${String(verify['verified_at'])})`);
  for (const v of (verify['variants'] as Record<string, number | string>[]) ?? []) {
    const n = (k: string, d = 4): string => Number(v[k]).toFixed(d);
    console.log(
      `  ${String(v['file'])}: load ${(Number(v['load_ms']) / 1000).toFixed(2)} s; tokenizer ids identical ${(Number(v['tokenizer_identical']) * 100).toFixed(0)} %; ` +
        `cosine vs reference query ${n('cosine_query_mean')} (min ${n('cosine_query_min')}), passage ${n('cosine_passage_mean')} (min ${n('cosine_passage_min')}); ` +
        `en↔zh pairs ${n('crosslingual_pair_mean', 3)} vs unrelated ${n('crosslingual_unrelated_mean', 3)}, twin first ${(Number(v['crosslingual_top1']) * 100).toFixed(0)} %`,
    );
  }
}
