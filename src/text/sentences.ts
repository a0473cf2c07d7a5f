/** A sentence as a span of the text it was cut from: `text.slice(start, end) === sentence`. */
export interface SentenceSpan {
  start: number;
  end: number;
  text: string;
}

// Abbreviations after which a full stop followed by a space does not end a sentence.
const ABBREVIATIONS = new Set([
  'e.g', 'i.e', 'al', 'vs', 'fig', 'figs', 'ref', 'refs', 'approx', 'ca', 'cf', 'dr', 'no', 'nos', 'vol', 'eq', 'etc',
  'mr', 'mrs', 'ms', 'prof', 'st', 'resp', 'incl', 'max', 'min', 'sp', 'spp', 'var', 'inc', 'ltd', 'co', 'jan', 'feb',
  'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);

const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '）', '」', '』', '】', '》']);
const CJK_TERMINATORS = new Set(['。', '！', '？', '；', '…']);
const HAN = /\p{Script=Han}/u;
const UPPER_OR_DIGIT = /[\p{Lu}\p{N}("“‘\[]/u;
const LOWER = /\p{Ll}/u;

/**
 * Splits text into sentences, returning exact spans. Handles what abstracts really contain: English prose, Chinese
 * prose ending in 。！？； or in ASCII "." (common in CSL-derived records), full stops with no following space
 * ("treatment.Despite", as in scraped Chinese-journal pages), abbreviations and decimals.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let sentenceStart = 0;
  const push = (end: number) => {
    const span = trimSpan(text, sentenceStart, end);
    if (span) spans.push(span);
    sentenceStart = end;
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n' && text[i + 1] === '\n') {
      push(i);
      continue;
    }
    let boundary = false;
    if (CJK_TERMINATORS.has(ch)) boundary = true;
    else if (ch === '!' || ch === '?') boundary = isFollowedByBreak(text, i);
    else if (ch === '.') boundary = isFullStop(text, i);
    if (!boundary) continue;
    let end = i + 1;
    while (end < text.length && (CLOSERS.has(text[end]!) || CJK_TERMINATORS.has(text[end]!))) end++;
    push(end);
    i = end - 1;
  }
  push(text.length);
  return spans;
}

function isFollowedByBreak(text: string, i: number): boolean {
  const next = text[i + 1];
  return next === undefined || /\s/.test(next) || HAN.test(next);
}

function isFullStop(text: string, i: number): boolean {
  const prev = text[i - 1] ?? '';
  const next = text[i + 1];
  if (next === undefined) return true;
  if (HAN.test(prev)) return true; // Chinese text using an ASCII full stop.
  if (/\d/.test(prev) && /\d/.test(next)) return false; // 0.05
  if (/\s/.test(next)) {
    const word = precedingWord(text, i);
    if (ABBREVIATIONS.has(word.toLowerCase())) return false;
    // "J. Smith" is an initial, but "vitamin D. Patients" ends a sentence: look at the word before the letter.
    if (/^\p{Lu}$/u.test(word) && !followsLowerCaseWord(text, i - 1)) return false;
    const after = text.slice(i + 1).trimStart()[0];
    return after === undefined || UPPER_OR_DIGIT.test(after) || HAN.test(after);
  }
  // No space after the stop: only "word.Word" where the word before is lower-case prose.
  return LOWER.test(prev) && /\p{Lu}/u.test(next) && LOWER.test(text[i + 2] ?? '') && precedingWord(text, i).length > 2;
}

function followsLowerCaseWord(text: string, letterIndex: number): boolean {
  const before = precedingWord(text, text.lastIndexOf(' ', letterIndex - 1));
  return /^\p{Ll}/u.test(before) && !before.endsWith('.');
}

function precedingWord(text: string, i: number): string {
  let j = i;
  while (j > 0 && /[\p{L}\p{N}.]/u.test(text[j - 1]!)) j--;
  return text.slice(j, i);
}

function trimSpan(text: string, start: number, end: number): SentenceSpan | undefined {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (start >= end) return undefined;
  return { start, end, text: text.slice(start, end) };
}
