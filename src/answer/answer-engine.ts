import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { RecordFilters } from '../retrieve/filters.js';
import type { Retriever } from '../retrieve/retriever.js';
import { answerLanguage, type AnswerLanguage } from '../text/language.js';
import type { Tokenizer } from '../text/tokenize.js';
import { searchedTerms, type QuestionTranslation } from '../text/translate-terms.js';
import type { Citation } from './citations.js';
import { composeExtractiveAnswer, type ComposeOptions } from './compose.js';
import { backendTermWeights, scoreEvidence, type EvidenceOptions, type EvidenceSentence, type TermWeights } from './evidence.js';
import { createTermCarryOver, type QuestionRewriter } from './follow-up.js';
import type { GenerateOptions } from './llm/generate-answer.js';
import { looksLikeInstruction } from './untrusted-text.js';
import { SemanticEvidence, type SemanticEvidenceOptions, type SemanticScores, type SentenceEmbedder } from './semantic-evidence.js';

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
  /** `generated` when a language model wrote the answer (its citations checked), else `extractive` quotes. */
  answer_mode: 'extractive' | 'generated';
  /**
   * The question retrieval and evidence scoring actually used, present only when a follow-up was resolved
   * against the history into something other than the question as asked. Absent means "the question itself",
   * which keeps single-turn answers exactly as they were.
   */
  searched_question?: string;
  /**
   * Dictionary translations of the question's words that were also searched, in the other language ("radiotherapy,
   * immune checkpoint" for 放疗, 免疫检查点). Present only when the corpus has documents in the other language.
   */
  translated_terms?: string[];
}

/** Options of {@link AnswerEngine}. */
export interface AnswerEngineOptions extends ComposeOptions, EvidenceOptions, SemanticEvidenceOptions {
  /** @default 5 */
  defaultK?: number;
  /**
   * Resolves follow-ups against the history. The seam for a language model that rewrites questions.
   * @default carry-over of the previous question's most informative words ({@link createTermCarryOver})
   */
  rewriter?: QuestionRewriter;
  /**
   * Writes answers from the evidence with a language model; the extractive answer is the fallback whenever the
   * model fails or its reply does not cite the evidence. @default undefined (extractive answers only)
   */
  generator?: { model: BaseChatModel; options?: GenerateOptions; onFallback?: (reason: string) => void };
  /**
   * The embedding model, when one is loaded: sentences of the top records are then also scored by meaning
   * ({@link SemanticEvidence}), so a question can be grounded in a sentence in another language. Without it,
   * evidence is lexical only, exactly as before. @default undefined (lexical evidence only)
   */
  embedder?: SentenceEmbedder;
}

/**
 * Answers questions from retrieved abstracts: retrieve, score evidence sentences, then quote the best of them with
 * citations (or, with a generator, let a language model word the answer from them, citation-checked). Stateless
 * per request: it can serve many requests at once.
 */
export class AnswerEngine {
  private readonly rewriter: QuestionRewriter;
  private readonly termWeights: TermWeights;
  private readonly semantic?: SemanticEvidence;

  /** Term weights (idf) come from the retriever's backend, so evidence is weighed on the index searched. */
  constructor(
    private readonly retriever: Retriever,
    private readonly tokenizer: Tokenizer,
    private readonly options: AnswerEngineOptions = {},
  ) {
    this.termWeights = backendTermWeights(retriever.backend);
    this.rewriter = options.rewriter ?? createTermCarryOver(tokenizer, this.termWeights);
    if (options.embedder) this.semantic = new SemanticEvidence(options.embedder, options);
  }

  /** Answers one question, resolving it against `history` first when it is a follow-up. */
  async ask(request: AskRequest): Promise<AskResponse> {
    // The answer speaks the language of the question as asked; carried-over words must not switch it.
    const language = answerLanguage(request.question);
    const k = request.k ?? this.options.defaultK ?? 5;
    const history = request.history ?? [];
    const searched = history.length > 0 ? await this.rewriter.rewrite(request.question, history) : request.question;
    const result = await this.retriever.search({ query: searched, k, filters: request.filters });
    const termWeight = await this.termWeights(questionTerms(searched, this.tokenizer, result.translation));
    const answerFrom = (semantic: SemanticScores | undefined) => {
      const evidence = scoreEvidence(searched, result.hits, this.tokenizer, termWeight, this.options, semantic, result.translation);
      // A sentence addressed to an assistant is an injection, not a finding: it is never quoted as evidence.
      const findings = evidence.sentences.filter((s) => !looksLikeInstruction(s.text));
      return { evidence, extractive: composeExtractiveAnswer(findings, evidence.termWeights, result.hits, language, this.options) };
    };
    // Over abstracts in the question's own language, words go first: the semantic step needs the vectors of every
    // sentence of the top abstracts (read from the index when it has them, else ~0.3 s of CPU each to embed), and it
    // only raises coverage, so an answer the words already ground stays grounded; it runs when they fall short, or
    // when an abstract is in another language.
    const ownLanguageOnly = result.hits.every((hit) => answerLanguage(hit.record.abstract) === language);
    let outcome = this.semantic && !ownLanguageOnly ? undefined : answerFrom(undefined);
    if (this.semantic && !outcome?.extractive.grounded) outcome = answerFrom(await this.semantic.score(searched, result.hits));
    const { evidence, extractive } = outcome!;
    const generated = extractive.grounded ? await this.generate(searched, language, evidence.sentences) : undefined;
    const composed = generated ?? extractive;
    return {
      ...composed,
      answer_mode: generated ? 'generated' : 'extractive',
      language,
      retrieval: { mode: result.mode, took_ms: Math.round(result.tookMs * 10) / 10 },
      ...(searched !== request.question && { searched_question: searched }),
      ...(result.translation && { translated_terms: searchedTerms(result.translation) }),
    };
  }

  // Grounding stays the extractive decision: the model only words answers the evidence already supports.
  private async generate(question: string, language: AnswerLanguage, sentences: EvidenceSentence[]) {
    const generator = this.options.generator;
    if (!generator) return undefined;
    try {
      // Imported on first use: LangChain's message classes cost ~1 s at start-up, and most servers run without an LLM.
      const { generateCitedAnswer } = await import('./llm/generate-answer.js');
      const { answer, citations } = await generateCitedAnswer(generator.model, question, language, sentences, generator.options);
      return { answer, citations, grounded: true };
    } catch (error) {
      generator.onFallback?.(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }
}

/** The terms evidence scoring weighs: the question's and its translation's (lazily, see TermWeights). */
function* questionTerms(question: string, tokenizer: Tokenizer, translation: QuestionTranslation | undefined): Generator<string> {
  yield* tokenizer.tokenize(question);
  for (const word of translation?.terms ?? []) {
    yield* word.sourceTerms;
    for (const target of word.targets) yield* target.terms;
  }
}
