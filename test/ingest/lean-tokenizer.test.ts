import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { env, PreTrainedTokenizer } from '@xenova/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { leanUnigramTokenizer, loadLeanTokenizer } from '../../src/ingest/lean-tokenizer.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-lean-tokenizer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A small sentencepiece-style (Unigram) tokenizer.json as transformers.js reads it: pieces of one and several
// characters, overlapping prefixes, Chinese, and pieces with astral characters (which transformers.js' trie can
// never match, so the lean lookup must not either).
const PIECES: Array<[string, number]> = [
  ['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0],
  ['▁', -2], ['▁t', -3], ['▁the', -2.5], ['▁th', -4], ['h', -5], ['e', -5], ['t', -5], ['▁cell', -3], ['▁cells', -2.8],
  ['s', -5], ['c', -6], ['l', -6], ['▁pd', -4], ['-', -4], ['1', -4], ['▁ex', -5], ['haust', -6], ['ed', -4], ['x', -6],
  ['a', -6], ['u', -6], ['d', -6], ['p', -6], ['耗竭', -3], ['耗', -5], ['竭', -5], ['细胞', -3], ['细', -5], ['胞', -5],
  ['▁🧬', -2], ['🧬', -2], ['𠀀', -3], ['a🧬', -1],
];

const TOKENIZER_CONFIG = { eos_token: '</s>', unk_token: '<unk>' };

function unigramJson() {
  return {
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', add_prefix_space: true },
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: '▁', add_prefix_space: true },
    model: { type: 'Unigram', unk_id: 3, vocab: PIECES },
    added_tokens: [],
  };
}

function unigramTokenizer() {
  return new PreTrainedTokenizer(unigramJson(), TOKENIZER_CONFIG);
}

const TEXTS = [
  'the exhausted cells',
  'the cells the cell th t',
  'pd-1 exhausted t cells',
  '耗竭细胞 耗 竭细',
  'a🧬 🧬 𠀀 a𠀀 🧬cells',
  'unknown words xyz qqq',
  '',
];

describe('leanUnigramTokenizer', () => {
  it('gives exactly the ids of the original trie, and drops the trie and the parsed vocabulary', () => {
    const original = unigramTokenizer();
    const lean = unigramTokenizer();
    const trieBefore = (lean as unknown as { model: { trie: unknown } }).model.trie;
    expect(leanUnigramTokenizer(lean as unknown as { model?: unknown })).toBe(true);
    const model = (lean as unknown as { model: { trie: unknown; config: { vocab?: unknown } } }).model;
    expect(model.trie).not.toBe(trieBefore);
    expect(model.config.vocab).toBeUndefined();
    for (const text of TEXTS) expect(lean.encode(text), text).toEqual(original.encode(text));
    // The cases above really exercise several-character, Chinese and unknown pieces.
    const ids = TEXTS.flatMap((text) => original.encode(text));
    expect(ids).toContain(PIECES.findIndex(([p]) => p === '▁cells'));
    expect(ids).toContain(PIECES.findIndex(([p]) => p === '耗竭'));
    expect(ids).toContain(3);
  });

  it('loadLeanTokenizer reads a model folder into the same ids without ever building the trie', async () => {
    const folder = path.join(root, 'models', 'test', 'unigram');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'tokenizer.json'), JSON.stringify(unigramJson()));
    writeFileSync(path.join(folder, 'tokenizer_config.json'), JSON.stringify(TOKENIZER_CONFIG));
    env.localModelPath = path.join(root, 'models');
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const lean = await loadLeanTokenizer('test/unigram');
    const trie = (lean as unknown as { model: { trie: { root?: unknown } } }).model.trie;
    expect(trie.root).toBeUndefined();
    const original = unigramTokenizer();
    for (const text of TEXTS) expect(lean.encode(text), text).toEqual(original.encode(text));
    // The trie is built again for any other tokenizer made afterwards.
    const later = unigramTokenizer() as unknown as { model: { trie: { root: { children: Map<string, unknown> } } } };
    expect(later.model.trie.root.children.size).toBeGreaterThan(0);
  });

  it('leaves a tokenizer of another kind unchanged', () => {
    const wordPiece = { model: { vocab: new Map([['a', 0]]) } };
    expect(leanUnigramTokenizer(wordPiece)).toBe(false);
    expect(leanUnigramTokenizer({})).toBe(false);
  });
});
