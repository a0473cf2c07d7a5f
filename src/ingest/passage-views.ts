/**
 * What is embedded for a record: each chunk's passage (titles + chunk text) and, optionally, a few short views of
 * the same text. A one-sentence question matches a one-sentence passage far better than a 380-token chunk whose
 * vector averages a whole abstract; short views give it that target without cutting every corpus into small
 * chunks (which multiplies the vectors, the chunks the lexical index counts, and the evidence the answer reads).
 * A view belongs to a chunk: the chunk's dense score is the best cosine over its passage and its views.
 */
import type { AbstractRecord } from '../corpus/record.js';
import { detectLanguage } from '../text/language.js';
import { splitSentences, type SentenceSpan } from '../text/sentences.js';
import { estimateTokens, type Chunk } from './chunk.js';

/** Which short views each record gets besides its chunks. */
export interface ShortVectorSettings {
  /**
   * `lead`: one view per record, its titles and first sentences (mapped to chunk 0).
   * `windows`: every chunk longer than `maxTokens` also gets consecutive sentence windows of at most `maxTokens`.
   */
  kind: 'lead' | 'windows';
  /** Largest view, in estimated tokens (titles not counted); at least one whole sentence is always taken. */
  maxTokens: number;
}

/** A short text embedded for a chunk besides its passage. */
export interface ChunkView {
  /** `<chunkId>~<name>`: stable for the same record and settings, so an unchanged record's views are reused. */
  id: string;
  chunkId: string;
  recordId: string;
  text: string;
}

/**
 * The titles embedded with a record's passages: only those in the abstract's language. A Chinese title over an
 * English abstract made the vector half Chinese, and since multilingual-e5-small scores same-language pairs higher
 * whatever the topic, that record came first for every Chinese question (5 of the 8 written bilingual-dev misses
 * with the model). The other-language title stays searchable by BM25 (title field), where it matches only the words
 * it has. A record with no title in its abstract's language keeps its titles.
 */
export function passageTitles(record: AbstractRecord): string {
  const all = [record.title, record.originalTitle].filter((t): t is string => Boolean(t));
  const own = all.filter((t) => detectLanguage(t, record.language) === record.language);
  return (own.length > 0 ? own : all).join(' / ');
}

/** Text embedded for a chunk: titles give a chunk from the middle of an abstract its context. */
export function passageText(record: AbstractRecord, chunk: Pick<Chunk, 'text'>): string {
  const titles = passageTitles(record);
  return titles ? `${titles}\n${chunk.text}` : chunk.text;
}

/**
 * The short views of a record's chunks (in chunk order). A view whose text would equal its chunk's is left out: a
 * short abstract is already its own short target.
 * @example
 * shortViews(record, chunkRecord(record), { kind: 'lead', maxTokens: 64 }); // [{ id: 'r1#0~lead', … }]
 */
export function shortViews(record: AbstractRecord, chunks: Chunk[], settings: ShortVectorSettings): ChunkView[] {
  if (chunks.length === 0) return [];
  const sentences = splitSentences(record.abstract);
  const titles = passageTitles(record);
  const view = (chunk: Chunk, name: string, span: SentenceSpan[]): ChunkView[] => {
    const start = span[0]!.start;
    const end = span[span.length - 1]!.end;
    if (start <= chunk.start && end >= chunk.end) return [];
    const body = record.abstract.slice(start, end);
    return [{ id: `${chunk.id}~${name}`, chunkId: chunk.id, recordId: record.id, text: titles ? `${titles}\n${body}` : body }];
  };
  if (settings.kind === 'lead') {
    const first = chunks[0]!;
    const lead = packSentences(sentences.filter((s) => s.start >= first.start && s.end <= first.end), settings.maxTokens)[0];
    return lead ? view(first, 'lead', lead) : [];
  }
  return chunks.flatMap((chunk) => {
    const inside = sentences.filter((s) => s.start >= chunk.start && s.end <= chunk.end);
    const windows = packSentences(inside, settings.maxTokens);
    return windows.length < 2 ? [] : windows.flatMap((window, i) => view(chunk, `w${i}`, window));
  });
}

/** Consecutive groups of whole sentences, each at most `maxTokens` (a longer sentence stands alone). */
function packSentences(sentences: SentenceSpan[], maxTokens: number): SentenceSpan[][] {
  const groups: SentenceSpan[][] = [];
  let current: SentenceSpan[] = [];
  let tokens = 0;
  for (const sentence of sentences) {
    const t = estimateTokens(sentence.text);
    if (current.length > 0 && tokens + t > maxTokens) {
      groups.push(current);
      current = [];
      tokens = 0;
    }
    current.push(sentence);
    tokens += t;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
