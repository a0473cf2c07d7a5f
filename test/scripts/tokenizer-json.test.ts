import { describe, expect, it } from 'vitest';
import { XLMRobertaTokenizer } from '@xenova/transformers';
import { applyCodepointMap, buildTokenizerConfig, buildTokenizerJson, type UnigramSpec } from '../../scripts/model/tokenizer-json.js';

// A tiny XLM-R-shaped vocabulary: specials first, then pieces with log-probability scores, <mask> last.
const entries: [string, number][] = [
  ['<s>', 0],
  ['<pad>', 0],
  ['</s>', 0],
  ['<unk>', 0],
  ['▁', -3],
  ['▁hello', -5],
  ['▁hel', -6],
  ['lo', -6],
  ['▁world', -5.5],
  ['▁wor', -7],
  ['ld', -7],
  ['h', -8],
  ['e', -8],
  ['l', -8],
  ['o', -8],
  ['w', -8],
  ['r', -8],
  ['d', -8],
  ['▁H', -6.5],
  ['ello', -7.5],
  ['你好', -6],
  ['你', -7],
  ['好', -7],
  ['世界', -6.2],
  [',', -4],
  ['▁你好', -5.8],
  ['<mask>', 0],
];
const spec: UnigramSpec = {
  pieces: entries.map((e) => e[0]),
  scores: entries.map((e) => e[1]),
  bos: 0,
  pad: 1,
  eos: 2,
  unk: 3,
  mask: entries.length - 1,
};
const id = (piece: string): number => spec.pieces.indexOf(piece);

function tokenizer(): { encode(text: string): number[] } {
  const T = XLMRobertaTokenizer as unknown as new (json: unknown, config: unknown) => { encode(text: string): number[] };
  return new T(buildTokenizerJson(spec), buildTokenizerConfig(spec));
}

describe('Unigram tokenizer.json rebuilt from pieces and scores (run by transformers.js)', () => {
  const tok = tokenizer();

  it('picks the best-scoring segmentation and wraps it in <s> … </s>', () => {
    // ▁hello (−5) beats ▁hel + lo (−12); ▁world (−5.5) beats ▁wor + ld (−14).
    expect(tok.encode('hello world')).toEqual([0, id('▁hello'), id('▁world'), 2]);
    // "Hello": ▁H + ello (−14) is the only path without unknowns.
    expect(tok.encode('Hello')).toEqual([0, id('▁H'), id('ello'), 2]);
  });

  it('collapses repeated spaces, strips the ends, and maps full-width/odd spaces like sentencepiece nmt_nfkc', () => {
    const expected = [0, id('▁hello'), id('▁world'), 2];
    expect(tok.encode('  hello   world  ')).toEqual(expected);
    expect(tok.encode('hello\tworld')).toEqual(expected);
    expect(tok.encode('ｈｅｌｌｏ world')).toEqual(expected); // NFKC folds full-width letters
  });

  it('segments Chinese with the vocabulary and keeps the prefix metaspace', () => {
    // The full-width comma is folded to ',' by NFKC, as the real XLM-R tokenizer does.
    expect(tok.encode('你好，世界')).toEqual([0, id('▁你好'), id(','), id('世界'), 2]);
  });

  it('maps characters outside the vocabulary to a single fused <unk>', () => {
    expect(tok.encode('hello qq')).toEqual([0, id('▁hello'), id('▁'), 3, 2]);
  });

  it('declares the specials transformers.js needs', () => {
    const cfg = buildTokenizerConfig(spec);
    expect(cfg['tokenizer_class']).toBe('XLMRobertaTokenizer');
    expect(cfg['eos_token']).toBe('</s>');
    expect(cfg['mask_token']).toBe('<mask>');
    const json = buildTokenizerJson(spec) as { model: { unk_id: number; vocab: [string, number][] } };
    expect(json.model.unk_id).toBe(3);
    expect(json.model.vocab[5]).toEqual(['▁hello', -5]);
  });

  it("normalises exactly as transformers.js's Precompiled (nmt_nfkc) normaliser, with no charsmap to parse", () => {
    const json = buildTokenizerJson(spec) as { normalizer: { normalizers: { type: string }[] } };
    // Hugging Face `tokenizers` refuses a Precompiled normaliser without a real charsmap: none may be left.
    expect(JSON.stringify(json.normalizer)).not.toContain('Precompiled');
    const withPrecompiled = { ...json, normalizer: { type: 'Sequence', normalizers: [{ type: 'Precompiled', precompiled_charsmap: '' }, ...json.normalizer.normalizers.slice(-2)] } };
    const T = XLMRobertaTokenizer as unknown as new (j: unknown, c: unknown) => { normalizer: { normalize(t: string): string } };
    const ours = new T(json, buildTokenizerConfig(spec)).normalizer;
    const reference = new T(withPrecompiled, buildTokenizerConfig(spec)).normalizer;
    const samples = [
      '  hello   world  ',
      'tab\there\nnew line\r\n',
      'ctrl\u0001\u0008\u007f\u009fchars',
      'zero\u200bwidth\u200c\ufeff and \u2581 metaspace \ufffd',
      'ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３, 全角，标点！（括号）',
      'tilde ～ stays, ~ too; ﬁ ligature, ① ㎏ ½',
      'decomposed e\u0301 and precomposed é',
      '\u3000ideographic space\u00a0nbsp',
    ];
    for (const text of samples) expect(ours.normalize(text)).toBe(reference.normalize(text));
    expect(ours.normalize('a ～ b')).toBe('a ～ b'); // NFKC alone would give '~'
  });

  it('rejects mismatched pieces/scores', () => {
    expect(() => buildTokenizerJson({ ...spec, scores: [0] })).toThrow(/scores/);
  });
});

describe('applyCodepointMap', () => {
  it('applies a per-code-point table, then collapses and trims spaces', () => {
    const map = new Map<number, number[]>([
      [0x09, [0x20]],
      [0x01, []],
      [0xff21, [0x41]],
    ]);
    expect(applyCodepointMap('\u0001Ａ\t\tb ', map)).toBe('A b');
  });
});
