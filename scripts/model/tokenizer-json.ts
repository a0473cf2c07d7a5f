/**
 * Rebuild an XLM-RoBERTa-style SentencePiece-Unigram tokenizer in the Hugging Face `tokenizer.json` layout that
 * @xenova/transformers 2.17 reads, from a plain list of pieces and scores.
 *
 * - normalizer: sentencepiece's `nmt_nfkc` rules written as a plain `Sequence` that both Hugging Face `tokenizers`
 *   and transformers.js 2.17 run identically (see {@link NMT_NFKC_NORMALIZERS}), then collapse runs of spaces and
 *   strip both ends — what sentencepiece's `remove_extra_whitespaces` does. (A `Precompiled` normalizer needs a
 *   real sentencepiece charsmap: `tokenizers` refuses an empty one, and transformers.js ignores it anyway.)
 * - pre-tokenizer: `Metaspace` (▁, prefix space). model: `Unigram` with `[piece, score]` and `unk_id`.
 * - post-processor: `<s> $A </s>` (pairs: `<s> $A </s> </s> $B </s>`).
 */

export interface UnigramSpec {
  pieces: string[];
  scores: ArrayLike<number>;
  bos: number;
  eos: number;
  pad: number;
  unk: number;
  /** id of `<mask>` if the vocabulary has one */
  mask?: number;
  modelMaxLength?: number;
}

export const METASPACE = '\u2581';

/**
 * Control characters sentencepiece's nmt_nfkc removes, and characters it maps to a space — the rules
 * transformers.js 2.17's `Precompiled` normaliser applies in code (src/tokenizers.js).
 */
const NMT_REMOVED = '[\u0001-\u0008\u000B\u000E-\u001F\u007F\u008F\u009F]';
const NMT_TO_SPACE = '[\u0009\u000A\u000C\u000D\u1680\u200B\u200C\u200E\u200F\u2028\u2029\u2581\uFEFF\uFFFD]';
/** nmt_nfkc keeps U+FF5E FULLWIDTH TILDE, which NFKC would turn into `~`: it is parked on a noncharacter meanwhile. */
const FULLWIDTH_TILDE = '\uFF5E';
const TILDE_PARKING = '\uFDD0';

/**
 * sentencepiece's nmt_nfkc as normalizers that Hugging Face `tokenizers` (Rust) and transformers.js 2.17 both
 * implement the same way: remove controls, map odd spaces to ' ', NFKC except for U+FF5E.
 */
export const NMT_NFKC_NORMALIZERS: Record<string, unknown>[] = [
  { type: 'Replace', pattern: { Regex: NMT_REMOVED }, content: '' },
  { type: 'Replace', pattern: { Regex: NMT_TO_SPACE }, content: ' ' },
  { type: 'Replace', pattern: { String: FULLWIDTH_TILDE }, content: TILDE_PARKING },
  { type: 'NFKC' },
  { type: 'Replace', pattern: { String: TILDE_PARKING }, content: FULLWIDTH_TILDE },
];

function addedToken(id: number, content: string, lstrip = false): Record<string, unknown> {
  return { id, content, single_word: false, lstrip, rstrip: false, normalized: false, special: true };
}

export function buildTokenizerJson(spec: UnigramSpec): Record<string, unknown> {
  const { pieces, scores } = spec;
  if (pieces.length !== scores.length) throw new Error(`${pieces.length} pieces but ${scores.length} scores`);
  for (const id of [spec.bos, spec.eos, spec.pad, spec.unk]) if (!(id >= 0 && id < pieces.length)) throw new Error(`special id ${id} out of range`);
  const bos = pieces[spec.bos]!;
  const eos = pieces[spec.eos]!;
  const added = [addedToken(spec.bos, bos), addedToken(spec.pad, pieces[spec.pad]!), addedToken(spec.eos, eos), addedToken(spec.unk, pieces[spec.unk]!)].sort(
    (a, b) => (a['id'] as number) - (b['id'] as number),
  );
  if (spec.mask !== undefined) added.push(addedToken(spec.mask, pieces[spec.mask]!, true));
  const vocab: [string, number][] = pieces.map((p, i) => [p, Math.fround(scores[i]!)]);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: {
      type: 'Sequence',
      normalizers: [
        ...NMT_NFKC_NORMALIZERS,
        { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
        { type: 'Strip', strip_left: true, strip_right: true },
      ],
    },
    pre_tokenizer: { type: 'Metaspace', replacement: METASPACE, add_prefix_space: true, prepend_scheme: 'always' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
      pair: [
        { SpecialToken: { id: bos, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: eos, type_id: 0 } },
        { SpecialToken: { id: eos, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: eos, type_id: 0 } },
      ],
      special_tokens: {
        [bos]: { id: bos, ids: [spec.bos], tokens: [bos] },
        [eos]: { id: eos, ids: [spec.eos], tokens: [eos] },
      },
    },
    decoder: { type: 'Metaspace', replacement: METASPACE, add_prefix_space: true, prepend_scheme: 'always' },
    model: { type: 'Unigram', unk_id: spec.unk, vocab, byte_fallback: false },
  };
}

export function buildTokenizerConfig(spec: UnigramSpec): Record<string, unknown> {
  const p = spec.pieces;
  return {
    tokenizer_class: 'XLMRobertaTokenizer',
    bos_token: p[spec.bos],
    eos_token: p[spec.eos],
    sep_token: p[spec.eos],
    cls_token: p[spec.bos],
    unk_token: p[spec.unk],
    pad_token: p[spec.pad],
    ...(spec.mask !== undefined ? { mask_token: p[spec.mask] } : {}),
    model_max_length: spec.modelMaxLength ?? 512,
    clean_up_tokenization_spaces: true,
  };
}

export function buildSpecialTokensMap(spec: UnigramSpec): Record<string, unknown> {
  const p = spec.pieces;
  return {
    bos_token: p[spec.bos],
    eos_token: p[spec.eos],
    sep_token: p[spec.eos],
    cls_token: p[spec.bos],
    unk_token: p[spec.unk],
    pad_token: p[spec.pad],
    ...(spec.mask !== undefined ? { mask_token: p[spec.mask] } : {}),
  };
}

/**
 * Apply a per-codepoint normalisation table (codepoint → replacement codepoints; absent = unchanged), then the same
 * whitespace handling as the tokenizer.json above. Used to check the table shipped with a model against what
 * transformers.js does.
 */
export function applyCodepointMap(text: string, map: Map<number, number[]>): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const rep = map.get(cp);
    out += rep ? String.fromCodePoint(...rep) : ch;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}
