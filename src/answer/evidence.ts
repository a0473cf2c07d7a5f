import type { AbstractRecord } from '../corpus/record.js';
import type { SearchIndex } from '../ingest/index-store.js';
import type { RecordHit } from '../retrieve/retriever.js';
import { foldText } from '../text/fold.js';
import { splitSentences } from '../text/sentences.js';
import type { Tokenizer } from '../text/tokenize.js';
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
  /** Question terms the sentence matches, in the sentence itself or in its record's titles and keywords. */
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
 * Term weights from the index: idf over chunk bodies and titles (so a word found only in a title still weighs),
 * and highest for words the corpus never uses — which is what makes an off-topic question fail to be covered.
 */
export function idfTermWeight(index: SearchIndex): TermWeight {
  const { lexical } = index;
  return (term) => {
    const df = Math.max(lexical.documentFrequency(term, 'body'), lexical.documentFrequency(term, 'title'));
    return Math.log(1 + (lexical.size + 1) / (df + 0.5));
  };
}

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
): { sentences: EvidenceSentence[]; termWeights: Map<string, number> } {
  const titleCredit = options.titleCredit ?? 0.6;
  const rankWeight = options.rankWeight ?? 0.1;
  const queryTerms = [...new Set(tokenizer.tokenize(question))];
  const weights = queryTerms.map(termWeight);
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const termWeights = new Map(queryTerms.map((term, i) => [term, weights[i]!]));
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
      queryTerms.forEach((term, i) => {
        if (terms.has(term)) covered += weights[i]!;
        else if (context.has(term)) covered += titleCredit * weights[i]!;
        else return;
        matchedTerms.push(term);
      });
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
