import type { SearchIndex } from '../ingest/index-store.js';
import type { RecordFilters } from '../retrieve/filters.js';
import type { Retriever } from '../retrieve/retriever.js';
import { detectLanguage, type AnswerLanguage } from '../text/language.js';
import type { Tokenizer } from '../text/tokenize.js';
import type { Citation } from './citations.js';
import { composeExtractiveAnswer, type ComposeOptions } from './compose.js';
import { scoreEvidence, type EvidenceOptions } from './evidence.js';

/** A question to answer. */
export interface AskRequest {
  question: string;
  /** Abstracts to retrieve and draw evidence from. @default 5 */
  k?: number;
  filters?: RecordFilters;
}

/** The answer as `/ask` returns it. */
export interface AskResponse {
  answer: string;
  language: AnswerLanguage;
  grounded: boolean;
  citations: Citation[];
  retrieval: { mode: 'hybrid' | 'lexical' | 'dense'; took_ms: number };
}

/** Options of {@link AnswerEngine}. */
export interface AnswerEngineOptions extends ComposeOptions, EvidenceOptions {
  /** @default 5 */
  defaultK?: number;
}

/**
 * Answers questions from retrieved abstracts by extracting and citing their best sentences. Pure with respect to
 * the index: it can serve many requests at once.
 */
export class AnswerEngine {
  constructor(
    private readonly retriever: Retriever,
    private readonly index: SearchIndex,
    private readonly tokenizer: Tokenizer,
    private readonly options: AnswerEngineOptions = {},
  ) {}

  /** Answers one question. */
  async ask(request: AskRequest): Promise<AskResponse> {
    const language = detectLanguage(request.question);
    const k = request.k ?? this.options.defaultK ?? 5;
    const result = await this.retriever.search({ query: request.question, k, filters: request.filters });
    const evidence = scoreEvidence(request.question, result.hits, this.tokenizer, (term) => this.termWeight(term), this.options);
    const composed = composeExtractiveAnswer(evidence.sentences, evidence.termWeights, result.hits, language, this.options);
    return { ...composed, language, retrieval: { mode: result.mode, took_ms: Math.round(result.tookMs * 10) / 10 } };
  }

  // idf over chunk bodies (and titles, so a title-only term still weighs): rare terms decide relevance.
  private termWeight(term: string): number {
    const lexical = this.index.lexical;
    const df = Math.max(lexical.documentFrequency(term, 'body'), lexical.documentFrequency(term, 'title'));
    return Math.log(1 + (lexical.size + 1) / (df + 0.5));
  }
}
