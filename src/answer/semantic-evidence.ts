import { LRUCache } from 'lru-cache';
import type { AbstractRecord } from '../corpus/record.js';
import { INDEX_DEFAULTS } from '../ingest/index-defaults.js';
import { abstractKey, sentenceTexts, type SentenceVectorSource } from '../ingest/sentence-vectors.js';
import type { QueryEmbedder, RecordHit } from '../retrieve/retriever.js';
import { answerLanguage, type AnswerLanguage } from '../text/language.js';
import { splitSentences } from '../text/sentences.js';

/**
 * What the semantic step needs from the embedding model: E5 query and passage embeddings, L2-normalised so that a
 * dot product is the cosine. `E5Embeddings` (src/ingest/embeddings.ts) is one.
 */
export interface SentenceEmbedder extends QueryEmbedder {
  embedDocuments(texts: string[]): Promise<number[][]>;
}

/** Where the cosines of one language pair sit: `floor` maps to a semantic score of 0, `ceiling` to 1. */
export interface CosineCalibration {
  floor: number;
  ceiling: number;
}

/**
 * Same-language calibration shipped by default (see {@link SemanticEvidenceOptions.sameLanguage}). English: a
 * sentence grounds an answer from cosine 0.88 (floor 0.84, ceiling 0.92). On PubMedQA dev (500 questions, the
 * 1,000-abstract pool, hybrid; `bench/same-language-calibration.ts --split dev`) answered with the abstract present /
 * refused with it removed: none 79.8% / 92.0%, 0.86 98.6% / 44.4%, 0.87 96.8% / 69.2%, 0.88 92.2% / 82.6%,
 * 0.89 89.6% / 89.2%, 0.90 85.8% / 91.4%; 0.88 is the one that reaches both aims (90% / 80%), and it answers all 8
 * written English paraphrases of shipped abstracts (0.89 refuses one) while every off-topic question (20 English,
 * 13 Chinese) is still refused. Chinese is left to lexical coverage: same-language Chinese cosines reach ~0.88 for a
 * bread-baking question against a clinical abstract, and no dev set here separates them.
 */
export const SAME_LANGUAGE_CALIBRATION: Partial<Record<AnswerLanguage, CosineCalibration>> = { en: { floor: 0.84, ceiling: 0.92 } };

/** Options of {@link SemanticEvidence}. */
export interface SemanticEvidenceOptions {
  /**
   * Retrieved records whose sentences are embedded and scored. Bounds the work per question: with the real model a
   * cold record costs ~0.5 s, and the answer quotes the top records anyway. @default 3
   */
  semanticRecords?: number;
  /**
   * Characters of a sentence that are embedded (the span quoted is always the whole sentence). A run-on "sentence"
   * (a table flattened into text) would otherwise cost as much as a whole abstract. @default 400
   */
  maxSentenceChars?: number;
  /**
   * Sentence vectors made at index time (src/ingest/sentence-vectors.ts), asked before embedding a record's
   * sentences per question; used only when made with the same `maxSentenceChars`. @default undefined (all per question)
   */
  sentenceVectors?: SentenceVectorSource;
  /** Records whose sentence vectors are kept in memory (least recently used dropped first). @default 512 */
  cacheRecords?: number;
  /**
   * Cosine (question vs sentence) that maps to a semantic score of 0; with `cosineCeiling` it sets the cosine at
   * which a sentence grounds an answer: floor + minCoverage × (ceiling − floor) = 0.85 with the defaults.
   * multilingual-e5-small compresses cosines: on dev, off-topic questions reach at most 0.795 against English
   * sentences, short Chinese questions about English abstracts 0.854–0.872, WMT zh→en translated first sentences
   * 0.883 (median) against their own abstract and 0.844 (median) against other abstracts. See
   * bench/results/answer-eval-semantic-dev.json and the README for why 0.85 and not the WMT-optimal 0.86.
   * @default 0.81
   */
  cosineFloor?: number;
  /** Cosine that maps to a semantic score of 1; scores between floor and ceiling are linear. @default 0.89 */
  cosineCeiling?: number;
  /**
   * Calibration of same-language pairs, by the question's language; a language without one is left to lexical
   * coverage. multilingual-e5-small scores any same-language pair higher than a cross-language one (a Chinese
   * bread-baking question reaches ~0.88 against a sentence of a Chinese clinical abstract, as high as a true
   * cross-lingual answer), so same-language sentences need their own floor and ceiling. @default SAME_LANGUAGE_CALIBRATION
   */
  sameLanguage?: Partial<Record<AnswerLanguage, CosineCalibration>>;
  /**
   * `all` scores every sentence with the cross-language calibration, whatever its language (measurement only: it
   * shows why same-language pairs need their own). @default 'cross'
   */
  languages?: 'cross' | 'all';
}

/**
 * Calibrated semantic score (0–1) per sentence of a record, in {@link splitSentences} order, by record id;
 * `undefined` for a sentence the semantic step does not judge (same language as the question, without a calibration).
 */
export type SemanticScores = Map<string, Array<number | undefined>>;

/**
 * Scores the sentences of the top retrieved abstracts by meaning: cosine between the question (E5 `query:`) and
 * each sentence (E5 `passage:`), mapped linearly to 0–1 by the calibrated floor and ceiling. This is what lets a
 * Chinese question be grounded in an English sentence that shares none of its words. Sentence vectors come from the
 * index when it has them ({@link SemanticEvidenceOptions.sentenceVectors}), else are embedded per question and cached
 * per record (id + abstract hash) in a bounded LRU: an abstract does not change while its index is loaded, and the
 * same few records come back for related questions, so a repeated record costs nothing.
 */
export class SemanticEvidence {
  private readonly cache: LRUCache<string, number[][]>;
  private readonly precomputed?: SentenceVectorSource;
  private readonly records: number;
  private readonly maxChars: number;
  private readonly cross: CosineCalibration;
  private readonly sameLanguage: Partial<Record<string, CosineCalibration>>;

  constructor(
    private readonly embedder: SentenceEmbedder,
    options: SemanticEvidenceOptions = {},
  ) {
    this.records = options.semanticRecords ?? 3;
    this.maxChars = options.maxSentenceChars ?? INDEX_DEFAULTS.sentenceMaxChars;
    if (options.sentenceVectors?.settings.maxChars === this.maxChars) this.precomputed = options.sentenceVectors;
    this.cache = new LRUCache({ max: options.cacheRecords ?? 512 });
    this.cross = { floor: options.cosineFloor ?? 0.81, ceiling: options.cosineCeiling ?? 0.89 };
    const all = options.languages === 'all';
    this.sameLanguage = all ? { en: this.cross, zh: this.cross } : (options.sameLanguage ?? SAME_LANGUAGE_CALIBRATION);
    for (const { floor, ceiling } of [this.cross, ...Object.values(this.sameLanguage)].filter((c) => c !== undefined)) {
      if (!(ceiling > floor)) throw new Error(`a cosine ceiling (${ceiling}) must exceed its floor (${floor})`);
    }
  }

  /** Records currently cached. */
  get cachedRecords(): number {
    return this.cache.size;
  }

  /**
   * Calibrated scores for the sentences of the top `semanticRecords` hits that are written (at least partly) in
   * another language than the question, or in its own language when that has a same-language calibration.
   */
  async score(question: string, hits: RecordHit[]): Promise<SemanticScores> {
    const language = answerLanguage(question);
    const calibrationOf = (text: string) => (answerLanguage(text) === language ? this.sameLanguage[language] : this.cross);
    const top = hits.map((hit) => hit.record).filter((record) => calibrationOf(record.abstract) !== undefined).slice(0, this.records);
    const scores: SemanticScores = new Map();
    if (top.length === 0) return scores;
    const [query, vectors] = await Promise.all([this.embedder.embedQuery(question), this.sentenceVectors(top)]);
    top.forEach((record, i) => {
      const sentences = splitSentences(record.abstract);
      scores.set(
        record.id,
        vectors[i]!.map((v, j) => {
          const calibration = calibrationOf(sentences[j]!.text);
          return calibration ? calibrate(dot(query, v), calibration) : undefined;
        }),
      );
    });
    return scores;
  }

  /** Maps a cross-language cosine to the 0–1 scale of lexical coverage. */
  calibrate(cosine: number): number {
    return calibrate(cosine, this.cross);
  }

  // One embedding call per record, never mixed with other records' sentences: padding in a mixed batch moves the
  // quantized model's cosines by up to ~0.003, enough to flip a question sitting at the grounding cosine depending on
  // what happened to be cached before. Per record, a record's vectors are the same whatever was asked before, and the
  // same as the index's (made the same way, see BuildOptions.sentences).
  private async sentenceVectors(records: AbstractRecord[]): Promise<number[][][]> {
    const keys = records.map((record) => abstractKey(record));
    // The index's vectors are a read of a few KB (a round trip on a cluster, so all at once): only vectors embedded
    // here are worth the memory of the cache.
    const found = await Promise.all(records.map(async (record, i) => this.cache.get(keys[i]!) ?? (await this.precomputed?.vectorsOf(record))));
    for (const [i, record] of records.entries()) {
      if (found[i]) continue;
      found[i] = await this.embedder.embedDocuments(sentenceTexts(record.abstract, this.maxChars));
      this.cache.set(keys[i]!, found[i]!);
    }
    return found as number[][][];
  }
}

function calibrate(cosine: number, { floor, ceiling }: CosineCalibration): number {
  return Math.min(1, Math.max(0, (cosine - floor) / (ceiling - floor)));
}

function dot(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
