import type { AbstractRecord } from '../corpus/record.js';
import { splitSentences, type SentenceSpan } from '../text/sentences.js';
import { effectiveOverlap, INDEX_DEFAULTS } from './index-defaults.js';

/** A piece of one abstract, the unit that is embedded and searched. */
export interface Chunk {
  /** `<recordId>#<index>`. */
  id: string;
  recordId: string;
  /** Position of the chunk within its record, from 0. */
  index: number;
  /** Character span in the record's abstract: `abstract.slice(start, end) === text`. */
  start: number;
  end: number;
  text: string;
}

/** Options of {@link chunkRecord}. */
export interface ChunkingOptions {
  /** Largest chunk, in estimated model tokens (the E5 window is 512, minus room for the title and prefix). @default 380 */
  maxTokens?: number;
  /** Tokens of whole sentences repeated at the start of the next chunk. @default 60 */
  overlapTokens?: number;
}

/**
 * Estimates XLM-R / BERT sentencepiece tokens without running a tokenizer: a Han character is about one token,
 * Latin text about one token per four characters. Used only to size chunks, so rough is enough.
 */
export function estimateTokens(text: string): number {
  let han = 0;
  for (const ch of text) if (/\p{Script=Han}/u.test(ch)) han++;
  return Math.ceil(han + (text.length - han) / 4);
}

/**
 * Cuts an abstract into chunks on sentence boundaries (English and Chinese), packing whole sentences up to the
 * token budget and overlapping neighbours by whole sentences. A sentence longer than the budget is cut at
 * clause marks or spaces, never inside a surrogate pair. Spans index the original abstract, so a citation
 * can always be checked against it.
 */
export function chunkRecord(record: Pick<AbstractRecord, 'id' | 'abstract'>, options: ChunkingOptions = {}): Chunk[] {
  const maxTokens = options.maxTokens ?? INDEX_DEFAULTS.chunkMaxTokens;
  const overlapTokens = effectiveOverlap(maxTokens, options.overlapTokens ?? INDEX_DEFAULTS.chunkOverlapTokens);
  const pieces = splitSentences(record.abstract).flatMap((s) => splitLongSentence(record.abstract, s, maxTokens));
  const chunks: Chunk[] = [];
  let window: SentenceSpan[] = [];
  let windowTokens = 0;

  const emit = () => {
    const first = window[0]!;
    const last = window[window.length - 1]!;
    chunks.push({
      id: `${record.id}#${chunks.length}`,
      recordId: record.id,
      index: chunks.length,
      start: first.start,
      end: last.end,
      text: record.abstract.slice(first.start, last.end),
    });
  };

  for (const piece of pieces) {
    const tokens = estimateTokens(piece.text);
    if (window.length > 0 && windowTokens + tokens > maxTokens) {
      emit();
      const carried: SentenceSpan[] = [];
      let carriedTokens = 0;
      for (let i = window.length - 1; i >= 0; i--) {
        const t = estimateTokens(window[i]!.text);
        if (carriedTokens + t > overlapTokens || carriedTokens + t + tokens > maxTokens) break;
        carried.unshift(window[i]!);
        carriedTokens += t;
      }
      window = carried;
      windowTokens = carriedTokens;
    }
    window.push(piece);
    windowTokens += tokens;
  }
  if (window.length > 0) emit();
  return chunks;
}

function splitLongSentence(text: string, sentence: SentenceSpan, maxTokens: number): SentenceSpan[] {
  if (estimateTokens(sentence.text) <= maxTokens) return [sentence];
  const parts: SentenceSpan[] = [];
  let start = sentence.start;
  while (start < sentence.end) {
    let end = start;
    let lastBreak = -1;
    let tokens = 0;
    while (end < sentence.end) {
      tokens += /\p{Script=Han}/u.test(text[end]!) ? 1 : 0.25;
      if (tokens > maxTokens) break;
      if (/[,，、:：;\s]/.test(text[end]!)) lastBreak = end + 1;
      end++;
    }
    if (end < sentence.end && lastBreak > start) end = lastBreak;
    if (end < sentence.end && /[\uDC00-\uDFFF]/.test(text[end]!)) end--; // keep surrogate pairs whole
    if (end <= start) end = Math.min(sentence.end, start + 1);
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed) parts.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed });
    start = end;
  }
  return parts;
}
