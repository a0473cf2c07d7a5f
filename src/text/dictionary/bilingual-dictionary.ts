import type { Tokenizer } from '../tokenize.js';
import { BIOMEDICAL_GLOSSARY } from './biomedical-glossary.js';
import { cedictEntries, type DictionaryEntry } from './cedict-entries.js';

/** A Chinese word listed under an English sense. */
export interface ChineseCandidate {
  word: string;
  /** Position of the sense among the word's senses (0 = its first meaning). */
  rank: number;
  /** How many senses the word has: the fewer, the less ambiguous. */
  senses: number;
  /** From the biomedical glossary rather than CC-CEDICT. */
  glossary: boolean;
}

/** Chinese ↔ English lookups over CC-CEDICT plus {@link BIOMEDICAL_GLOSSARY}. */
export interface BilingualDictionary {
  /** Longest headword, in characters (bounds maximum-matching segmentation). */
  readonly maxWordLength: number;
  /** Cleaned English senses of a simplified Chinese word, glossary first; empty when unknown. */
  english(word: string): readonly string[];
  /** Whether the glossary, rather than CC-CEDICT, supplies the word's senses. */
  fromGlossary(word: string): boolean;
  /** Chinese words one of whose senses tokenizes to exactly these terms (joined by a space). */
  chinese(termKey: string): readonly ChineseCandidate[];
}

const SKIPPED_SENSE =
  /^(variant of|old variant of|archaic variant|erhua variant|see |see also|surname |cl:|abbr\. for|also written|used in|taiwan pr\.|lit\. |fig\. |\((old|archaic|literary|dialect|cantonese|slang|internet slang|tw|onom\.|classical)\))/i;

/**
 * Reduces a CC-CEDICT sense to the words a document would use: explanations in brackets, Chinese cross-references,
 * infinitive "to" and leading articles go; cross-references, surnames, classifiers and figurative senses are
 * dropped, as are senses longer than four words (definitions rather than translations).
 * @example cleanSense('radiotherapy (abbr. for 放射療法|放射疗法[fang4 she4 liao2 fa3])') // 'radiotherapy'
 * @example cleanSense('to inhibit') // 'inhibit'
 */
export function cleanSense(sense: string): string | undefined {
  if (SKIPPED_SENSE.test(sense.trim())) return undefined;
  const cleaned = sense
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/[\p{Script=Han}|]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(to|a|an|the|sb|sth) /i, '')
    .replace(/[.,;:]+$/, '')
    .trim();
  if (!cleaned || cleaned.split(' ').length > 4) return undefined;
  return cleaned;
}

class LoadedDictionary implements BilingualDictionary {
  readonly maxWordLength: number;
  /** Cleaned senses, filled on first lookup of each word. */
  private readonly senses = new Map<string, string[]>();
  private readonly rawSenses = new Map<string, string[]>();
  private readonly glossaryWords = new Set<string>();
  private reverse?: Map<string, ChineseCandidate[]>;

  constructor(
    entries: DictionaryEntry[],
    private readonly tokenizer: Tokenizer,
  ) {
    for (const [word, ...english] of BIOMEDICAL_GLOSSARY) {
      this.senses.set(word, [...english]);
      this.glossaryWords.add(word);
    }
    // Proper-noun entries (capitalised pinyin) go after common ones, so 'Zhong1 guo2' still gives "China".
    for (const properNouns of [false, true]) {
      for (const entry of entries) {
        if (isProperNoun(entry) !== properNouns || this.glossaryWords.has(entry.simplified)) continue;
        const raw = this.rawSenses.get(entry.simplified);
        if (raw) raw.push(...entry.senses);
        else this.rawSenses.set(entry.simplified, [...entry.senses]);
      }
    }
    let longest = 1;
    for (const word of [...this.senses.keys(), ...this.rawSenses.keys()]) longest = Math.max(longest, word.length);
    this.maxWordLength = Math.min(longest, 8);
  }

  english(word: string): readonly string[] {
    let cleaned = this.senses.get(word);
    if (!cleaned) {
      cleaned = [];
      for (const sense of (this.rawSenses.get(word) ?? []).flatMap((s) => s.split(/;\s*/))) {
        const clean = cleanSense(sense);
        if (clean && !cleaned.includes(clean)) cleaned.push(clean);
      }
      this.senses.set(word, cleaned);
    }
    return cleaned;
  }

  fromGlossary(word: string): boolean {
    return this.glossaryWords.has(word);
  }

  chinese(termKey: string): readonly ChineseCandidate[] {
    return this.reverse?.get(termKey) ?? [];
  }

  /**
   * Builds the English → Chinese index: cleaning and tokenizing 200,000 senses takes seconds, so the work yields to
   * the event loop every few thousand words and a server keeps answering other requests meanwhile.
   */
  async buildReverseIndex(): Promise<void> {
    const reverse = new Map<string, ChineseCandidate[]>();
    // Senses share most of their words; tokenizing each distinct word once (a sense's terms are its words' terms,
    // as the tokenizer splits on spaces first) makes this several times faster.
    const termsOfWord = new Map<string, string[]>();
    const keyOf = (sense: string) =>
      sense
        .split(' ')
        .flatMap((w) => {
          let terms = termsOfWord.get(w);
          if (!terms) termsOfWord.set(w, (terms = this.tokenizer.tokenize(w)));
          return terms;
        })
        .join(' ');
    let done = 0;
    for (const word of new Set([...this.glossaryWords, ...this.rawSenses.keys()])) {
      if (++done % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
      // Single characters are too ambiguous to stand for an English word.
      if ([...word].length < 2) continue;
      const list = this.english(word);
      list.forEach((sense, rank) => {
        const key = keyOf(sense);
        if (!key) return;
        const candidates = reverse.get(key) ?? [];
        candidates.push({ word, rank, senses: list.length, glossary: this.glossaryWords.has(word) });
        reverse.set(key, candidates);
      });
    }
    this.reverse = reverse;
  }
}

function isProperNoun(entry: DictionaryEntry): boolean {
  return /^[A-Z]/.test(entry.pinyin);
}

const loaded = new Map<string, Promise<BilingualDictionary>>();

/**
 * The dictionary, built once per tokenizer (the English → Chinese index is keyed by the tokenizer's terms, so a
 * question's stems meet the senses' stems) on first use and shared after that. Loading takes a few seconds of CPU.
 */
export function loadBilingualDictionary(tokenizer: Tokenizer): Promise<BilingualDictionary> {
  let dictionary = loaded.get(tokenizer.name);
  if (!dictionary) {
    dictionary = cedictEntries().then(async (entries) => {
      const built = new LoadedDictionary(entries, tokenizer);
      await built.buildReverseIndex();
      return built;
    });
    loaded.set(tokenizer.name, dictionary);
  }
  return dictionary;
}
