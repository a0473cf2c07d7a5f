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
  /**
   * Chinese words one of whose senses is exactly these English words (lower-case; a plural matches its singular):
   * `chinese(['dendritic', 'cells'])` finds 树突状细胞.
   */
  chinese(words: readonly string[]): readonly ChineseCandidate[];
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
  private readonly byFirstWord = new Map<string, string[]>();

  constructor(entries: DictionaryEntry[]) {
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
    this.indexFirstWords();
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

  chinese(words: readonly string[]): readonly ChineseCandidate[] {
    if (words.length === 0) return [];
    const wanted = words.map(singular).join(' ');
    const candidates: ChineseCandidate[] = [];
    for (const word of this.byFirstWord.get(singular(words[0]!)) ?? []) {
      const senses = this.english(word);
      const rank = senses.findIndex((sense) => sense.toLowerCase().split(' ').map(singular).join(' ') === wanted);
      if (rank >= 0) candidates.push({ word, rank, senses: senses.length, glossary: this.glossaryWords.has(word) });
    }
    return candidates;
  }

  /**
   * Files each word of two or more characters under the first English word of each of its senses, cheaply (no
   * cleaning, no tokenizing: that is done for the few words a question's phrases lead to).
   */
  private indexFirstWords(): void {
    for (const [word, senses] of [...this.senses, ...this.rawSenses]) {
      // Single characters are too ambiguous to stand for an English word.
      if (word.length < 2) continue;
      for (const sense of senses) {
        for (const part of sense.split(';')) {
          const first = singular(part.replace(/\([^)]*\)/g, ' ').trim().toLowerCase().replace(/^(to|a|an|the) /, '').split(/[\s,(]/)[0] ?? '');
          if (!first) continue;
          const list = this.byFirstWord.get(first);
          if (!list) this.byFirstWord.set(first, [word]);
          else if (list[list.length - 1] !== word) list.push(word);
        }
      }
    }
  }
}

/** A crude English singular, enough to let "cells" meet "cell" and "therapies" meet "therapy". */
function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

function isProperNoun(entry: DictionaryEntry): boolean {
  return /^[A-Z]/.test(entry.pinyin);
}

let loaded: Promise<BilingualDictionary> | undefined;

/** The dictionary, read on first use (about a second of CPU) and shared after that. */
export function loadBilingualDictionary(): Promise<BilingualDictionary> {
  loaded ??= cedictEntries().then((entries) => new LoadedDictionary(entries));
  return loaded;
}
