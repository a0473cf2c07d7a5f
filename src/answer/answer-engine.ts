import type { SearchIndex } from '../ingest/index-store.js';
import type { RecordFilters } from '../retrieve/filters.js';
import type { Retriever } from '../retrieve/retriever.js';
import { detectLanguage, type AnswerLanguage } from '../text/language.js';
import type { Tokenizer } from '../text/tokenize.js';
import type { Citation } from './citations.js';
import { composeExtractiveAnswer, type ComposeOptions } from './compose.js';
import { scoreEvidence, type EvidenceOptions } from './evidence.js';
import { createTermCarryOver, type QuestionRewriter } from './follow-up.js';

/** A question to answer. */
export interface AskRequest {
  question: string;
  /** Abstracts to retrieve and draw evidence from. @default 5 */
  k?: number;
  filters?: RecordFilters;
  /** Earlier questions of the conversation, oldest first; a follow-up is resolved against them. */
  history?: readonly string[];
}

/** The answer as `/ask` returns it. */
export interface AskResponse {
  answer: string;
  language: AnswerLanguage;
  grounded: boolean;
  citations: Citation[];
  retrieval: { mode: 'hybrid' | 'lexical' | 'dense'; took_ms: number };
  /**
   * The question retrieval and evidence scoring actually used, present only when a follow-up was resolved
   * against the history into something other than the question as asked. Absent means "the question itself",
   * which keeps single-turn answers exactly as they were.
   */
  searched_question?: string;
}

/** Options of {@link AnswerEngine}. */
export interface AnswerEngineOptions extends ComposeOptions, EvidenceOptions {
  /** @default 5 */
  defaultK?: number;
  /**
   * Resolves follow-ups against the history. The seam for a language model that rewrites questions.
   * @default carry-over of the previous question's most informative words ({@link createTermCarryOver})
   */
  rewriter?: QuestionRewriter;
}

/**
 * Answers questions from retrieved abstracts by extracting and citing their best sentences. Pure with respect to
 * the index: it can serve many requests at once.
 */
export class AnswerEngine {
  private readonly rewriter: QuestionRewriter;

  constructor(
    private readonly retriever: Retriever,
    private readonly index: SearchIndex,
    private readonly tokenizer: Tokenizer,
    private readonly options: AnswerEngineOptions = {},
  ) {
    this.rewriter = options.rewriter ?? createTermCarryOver(tokenizer, (term) => this.termWeight(term));
  }

  /** Answers one question, resolving it against `history` first when it is a follow-up. */
  async ask(request: AskRequest): Promise<AskResponse> {
    // The answer speaks the language of the question as asked; carried-over words must not switch it.
    const language = detectLanguage(request.question);
    const k = request.k ?? this.options.defaultK ?? 5;
    const history = request.history ?? [];
    const searched = history.length > 0 ? await this.rewriter.rewrite(request.question, history) : request.question;
    const result = await this.retriever.search({ query: searched, k, filters: request.filters });
    const evidence = scoreEvidence(searched, result.hits, this.tokenizer, (term) => this.termWeight(term), this.options);
    const composed = composeExtractiveAnswer(evidence.sentences, evidence.termWeights, result.hits, language, this.options);
    return {
      ...composed,
      language,
      retrieval: { mode: result.mode, took_ms: Math.round(result.tookMs * 10) / 10 },
      ...(searched !== request.question && { searched_question: searched }),
    };
  }

  // idf over chunk bodies (and titles, so a title-only term still weighs): rare terms decide relevance.
  private termWeight(term: string): number {
    const lexical = this.index.lexical;
    const df = Math.max(lexical.documentFrequency(term, 'body'), lexical.documentFrequency(term, 'title'));
    return Math.log(1 + (lexical.size + 1) / (df + 0.5));
  }
}
