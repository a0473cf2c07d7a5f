import { stemmer } from 'stemmer';
import { CHINESE_STOPWORDS, ENGLISH_STOPWORDS } from './stopwords.js';

/** Turns text into index terms. Lexical indexes and evidence scoring take one as a plug-in. */
export interface Tokenizer {
  /** Stable name, stored in the index manifest so a changed tokenizer forces a rebuild. */
  readonly name: string;
  tokenize(text: string): string[];
}

/**
 * How Chinese runs are cut into terms. `none` keeps each run of Han characters whole, as a whitespace
 * tokenizer would; it exists to measure what segmentation is worth, not for use.
 */
export type ChineseSegmentation = 'words' | 'bigrams' | 'none';

/** Options of {@link createTokenizer}. */
export interface TokenizerOptions {
  /**
   * `words` segments with `Intl.Segmenter('zh')` (ICU's dictionary); `bigrams` emits overlapping character pairs.
   * @default 'words'
   */
  chinese?: ChineseSegmentation;
  /** Porter-stem English terms. @default true */
  stem?: boolean;
}

const HAN_RUN = /(\p{Script=Han}+)/u;
const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;

/**
 * A tokenizer for English, Chinese and text mixing both (Chinese abstracts are full of Latin gene and drug
 * names). Han runs go to the Chinese segmenter, everything else to the English pipeline: NFKC, Unicode
 * lower-case, Greek letters spelled out, stop words, Porter stemming. Hyphenated terms yield their parts and the joined form, so "CAR-T"
 * matches "CAR T" and "CART".
 */
export function createTokenizer(options: TokenizerOptions = {}): Tokenizer {
  const chinese = options.chinese ?? 'words';
  const stem = options.stem ?? true;
  const segmentChinese = chinese === 'words' ? chineseWords : chinese === 'bigrams' ? chineseBigrams : chineseRuns;
  return {
    name: `mixed-v2:zh=${chinese}:stem=${stem}`,
    tokenize(text: string): string[] {
      const terms: string[] = [];
      eachRun(text, (han) => segmentChinese(han, terms), (other) => englishTerms(other, stem, terms));
      return terms;
    },
  };
}

/**
 * The words of a text as written, before any term rule: Latin words (hyphenated ones whole) and
 * dictionary-segmented Chinese words. What a follow-up carries over is spelled like this, not as index terms.
 * @example
 * surfaceWords('Does 4-1BB help CAR-T细胞?'); // ['Does', '4-1BB', 'help', 'CAR-T', '细胞']
 */
export function surfaceWords(text: string): string[] {
  const words: string[] = [];
  eachRun(
    text,
    (han) => {
      for (const segment of segmenter.segment(han)) if (segment.isWordLike) words.push(segment.segment);
    },
    (other) => {
      for (const match of other.matchAll(WORD)) words.push(match[0]);
    },
  );
  return words;
}

/** Calls `onHan` for each run of Han characters of the NFKC-normalised text and `onOther` for the text between. */
function eachRun(text: string, onHan: (run: string) => void, onOther: (text: string) => void): void {
  text
    .normalize('NFKC')
    .split(HAN_RUN)
    .forEach((part, index) => {
      if (part) (index % 2 === 1 ? onHan : onOther)(part);
    });
}

/**
 * Greek letters spelled out, as biomedical text writes them both ways ("TNF-α" / "TNF-alpha", "IFNγ" / "IFN-gamma").
 * μ is left alone: it is mostly the micro prefix ("μg"), where spelling it out would make words like "mug".
 */
const GREEK_NAMES: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ι: 'iota',
  κ: 'kappa', λ: 'lambda', ν: 'nu', ξ: 'xi', π: 'pi', ρ: 'rho', σ: 'sigma', ς: 'sigma', τ: 'tau', υ: 'upsilon',
  φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
};
const GREEK_LETTER = /[α-λν-ω]/g;

function englishTerms(text: string, stem: boolean, out: string[]): void {
  const lower = text.toLowerCase().replace(GREEK_LETTER, (letter) => GREEK_NAMES[letter] ?? letter);
  for (const match of lower.matchAll(WORD)) {
    const word = match[0].replace(/’/g, "'");
    if (word.includes('-')) {
      const pieces = word.split('-');
      for (const piece of pieces) addEnglish(piece, stem, out);
      out.push(pieces.join(''));
    } else {
      addEnglish(word.replace(/'s$/, ''), stem, out);
    }
  }
}

// Porter stemming is a tenth of an /ask's main-thread CPU, and a corpus repeats few thousand words: each word's term
// is remembered (up to STEMMED_WORDS words, then forgotten all at once; a term never depends on what came before).
const STEMMED_WORDS = 100_000;
const stemmed = new Map<string, string>();

function addEnglish(word: string, stem: boolean, out: string[]): void {
  if (!word || ENGLISH_STOPWORDS.has(word)) return;
  if (!stem || word.length <= 3) {
    out.push(word);
    return;
  }
  let term = stemmed.get(word);
  if (term === undefined) {
    term = /^\p{L}+$/u.test(word) ? stemmer(word) : word;
    if (stemmed.size >= STEMMED_WORDS) stemmed.clear();
    stemmed.set(word, term);
  }
  out.push(term);
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function chineseWords(run: string, out: string[]): void {
  for (const segment of segmenter.segment(run)) {
    if (segment.isWordLike && !CHINESE_STOPWORDS.has(segment.segment)) out.push(segment.segment);
  }
}

function chineseBigrams(run: string, out: string[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    if (!CHINESE_STOPWORDS.has(chars[0]!)) out.push(chars[0]!);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
}

function chineseRuns(run: string, out: string[]): void {
  if (!CHINESE_STOPWORDS.has(run)) out.push(run);
}
