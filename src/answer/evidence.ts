import type { AbstractRecord } from '../corpus/record.js';
import type { RecordHit } from '../retrieve/retriever.js';
import type { TermStatistics } from '../retrieve/search-backend.js';
import { foldText } from '../text/fold.js';
import { splitSentences } from '../text/sentences.js';
import type { Tokenizer } from '../text/tokenize.js';
import type { QuestionTranslation } from '../text/translate-terms.js';
import type { SemanticScores } from './semantic-evidence.js';

/** A sentence of a retrieved abstract, scored as evidence for a question. */
export interface EvidenceSentence {
  record: AbstractRecord;
  /** Rank of the record in retrieval, from 0. */
  recordRank: number;
  start: number;
  end: number;
  text: string;
  /** Share of the question's weighted terms found in the sentence (titles and keywords count partly), 0–1. */
  coverage: number;
  /** Coverage blended with the record's retrieval rank; what evidence is ordered by. */
  score: number;
  /**
   * Question terms the sentence matches, in the sentence itself or in its record's titles and keywords; a translated
   * word counts (under its own spelling, e.g. "放疗") when the sentence has it or one of its dictionary renderings.
   */
  matchedTerms: string[];
  /** Calibrated semantic similarity to the question, 0–1; present only when the semantic step scored the sentence. */
  semantic?: number;
  /** `semantic` when the semantic score, not lexical coverage, is the sentence's coverage. Absent means lexical. */
  via?: 'semantic';
}

/** Options of {@link scoreEvidence}. */
export interface EvidenceOptions {
  /** Credit for a question term found only in the record's titles or keywords, not in the sentence. @default 0.6 */
  titleCredit?: number;
  /** Weight of retrieval rank against coverage in the score. @default 0.1 */
  rankWeight?: number;
}

/** How informative a term is: inverse document frequency from the index. */
export type TermWeight = (term: string) => number;

/**
 * Term weights for the terms a step is about to weigh, fetched at once (one round trip to a remote index; an
 * in-memory one answers for any term and never reads them).
 */
export type TermWeights = (terms: Iterable<string>) => Promise<TermWeight>;

/** {@link idfTermWeight} over the statistics a backend gives for the terms asked. */
export function backendTermWeights(backend: { termStatistics(terms: Iterable<string>): Promise<TermStatistics> }): TermWeights {
  return async (terms) => idfTermWeight(await backend.termStatistics(terms));
}

/**
 * Term weights from the index: idf over chunk bodies and titles (so a word found only in a title still weighs),
 * and highest for words the corpus never uses — which is what makes an off-topic question fail to be covered.
 */
export function idfTermWeight(statistics: TermStatistics): TermWeight {
  return (term) => Math.log(1 + (statistics.chunks + 1) / (statistics.documentFrequency(term, EVIDENCE_FIELDS) + 0.5));
}

const EVIDENCE_FIELDS = ['body', 'title'] as const;

/**
 * Splits the retrieved abstracts into sentences and scores each against the question: idf-weighted coverage of
 * the question's terms, so a sentence that matches the rare words ("exhaustion", "耗竭") beats one that matches
 * only common ones ("cell"). A term found in the record's title counts partly: the sentence sits in a paper about it
 * — this is how a Chinese question finds an English abstract through its Chinese title.
 *
 * With `semantic` scores (only when an embedding model is loaded), a sentence's coverage is the larger of its
 * lexical coverage and its calibrated semantic score, so a sentence that answers in another language can count.
 * Without them the result is exactly the lexical one.
 *
 * A sentence is listed once: when two abstracts hold the same sentence (two copies of one article that escaped
 * de-duplication, or shared boilerplate), only its best-scoring occurrence is kept, so no answer — extractive or
 * generated — can quote the same words twice.
 */
export function scoreEvidence(
  question: string,
  hits: RecordHit[],
  tokenizer: Tokenizer,
  termWeight: TermWeight,
  options: EvidenceOptions = {},
  semantic?: SemanticScores,
  translation?: QuestionTranslation,
): { sentences: EvidenceSentence[]; termWeights: Map<string, number> } {
  const titleCredit = options.titleCredit ?? 0.6;
  const rankWeight = options.rankWeight ?? 0.1;
  const concepts = questionConcepts(question, tokenizer, termWeight, translation);
  const totalWeight = concepts.reduce((sum, c) => sum + c.weight, 0);
  const termWeights = new Map(concepts.map((c) => [c.key, c.weight]));
  if (totalWeight === 0 || hits.length === 0) return { sentences: [], termWeights };
  const topScore = hits[0]!.score || 1;

  const sentences: EvidenceSentence[] = [];
  hits.forEach((hit, recordRank) => {
    const record = hit.record;
    const context = new Set(tokenizer.tokenize([record.title, record.originalTitle ?? '', ...record.keywords].join('\n')));
    const rankScore = Math.max(0, hit.score / topScore);
    const semanticScores = semantic?.get(record.id);
    splitSentences(record.abstract).forEach((sentence, position) => {
      const terms = new Set(tokenizer.tokenize(sentence.text));
      let covered = 0;
      const matchedTerms: string[] = [];
      for (const concept of concepts) {
        const inSentence = credit(concept, terms);
        const found = Math.max(inSentence, titleCredit * credit(concept, context));
        if (found === 0) continue;
        covered += found * concept.weight;
        if (Math.max(inSentence, credit(concept, context)) >= 0.5) matchedTerms.push(concept.key);
      }
      const lexicalCoverage = covered / totalWeight;
      const semanticScore = semanticScores?.[position];
      const bySemantic = semanticScore !== undefined && semanticScore > lexicalCoverage;
      const coverage = bySemantic ? semanticScore : lexicalCoverage;
      sentences.push({
        record,
        recordRank,
        start: sentence.start,
        end: sentence.end,
        text: sentence.text,
        coverage,
        score: (1 - rankWeight) * coverage + rankWeight * rankScore,
        matchedTerms,
        ...(semanticScore !== undefined && { semantic: semanticScore }),
        ...(bySemantic && { via: 'semantic' as const }),
      });
    });
  });
  sentences.sort((a, b) => b.score - a.score || a.recordRank - b.recordRank || a.start - b.start);
  const seen = new Set<string>();
  const distinct = sentences.filter((s) => {
    const folded = foldText(s.text);
    if (seen.has(folded)) return false;
    seen.add(folded);
    return true;
  });
  return { sentences: distinct, termWeights };
}

/** What the question asks about: each term, or a translated word with its renderings as alternatives. */
interface Concept {
  key: string;
  weight: number;
  /** Term bags any of which expresses the concept. */
  alternatives: string[][];
}

/**
 * The question's concepts. Without a translation, one per distinct term, exactly as before. With one, each
 * translated word is one concept whose renderings are alternatives, weighted by the less informative of its own
 * spelling and its best rendering: a Chinese word an English corpus never uses is not thereby rare, its English
 * rendering says how rare the idea is there.
 */
function questionConcepts(question: string, tokenizer: Tokenizer, termWeight: TermWeight, translation?: QuestionTranslation): Concept[] {
  const terms = [...new Set(tokenizer.tokenize(question))];
  const grouped = new Set<string>();
  const concepts: Concept[] = [];
  for (const word of translation?.terms ?? []) {
    const source = [...new Set(word.sourceTerms)];
    if (source.length === 0 || word.targets.length === 0) continue;
    for (const term of source) grouped.add(term);
    const renderings = word.targets.map((t) => [...new Set(t.terms)]);
    const weight = Math.min(Math.max(...source.map(termWeight)), Math.max(...renderings.flat().map(termWeight)));
    concepts.push({ key: word.source, weight, alternatives: [source, ...renderings] });
  }
  for (const term of terms) if (!grouped.has(term)) concepts.push({ key: term, weight: termWeight(term), alternatives: [[term]] });
  return concepts;
}

/** Share of the concept's best alternative found among the terms (1 or 0 for a one-term concept). */
function credit(concept: Concept, terms: ReadonlySet<string>): number {
  let best = 0;
  for (const bag of concept.alternatives) best = Math.max(best, bag.filter((t) => terms.has(t)).length / bag.length);
  return best;
}
