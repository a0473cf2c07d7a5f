/**
 * Follow-up questions ("and in solid tumours?", "那在实体瘤中呢？") name only what changes; the topic is in an
 * earlier turn. With no language model, the previous question's most informative words are carried over and
 * appended, so retrieval and evidence scoring see the whole topic. A model-backed rewriter can replace this
 * through the {@link QuestionRewriter} seam without touching the engine.
 */
import { surfaceWords, type Tokenizer } from '../text/tokenize.js';
import type { TermWeight, TermWeights } from './evidence.js';

/** Turns a follow-up into the question to search. The engine calls one per request that has history. */
export interface QuestionRewriter {
  /**
   * @param question the question as asked.
   * @param history earlier questions of the conversation, oldest first.
   * @returns the question to search (the question itself when it stands alone).
   */
  rewrite(question: string, history: readonly string[]): Promise<string>;
}

/** Options of {@link resolveFollowUp}. */
export interface FollowUpOptions {
  /** Words carried over from the previous turn at most. @default 4 */
  maxCarried?: number;
  /** A question with at most this many distinct terms counts as a follow-up whatever its wording. @default 2 */
  shortTerms?: number;
  /** A question with a pronoun ("does it…", "它们…") counts as a follow-up up to this many terms. @default 4 */
  anaphoraTerms?: number;
}

/** What {@link resolveFollowUp} decided. */
export interface ResolvedQuestion {
  /** The question to search: the question itself, or it followed by the carried words. */
  searched: string;
  /** Words carried over, spelled as in the earlier question, in its order. Empty when the question stands alone. */
  carried: string[];
}

// Openings that only make sense as a continuation. Matched case-insensitively at the start of the question.
const EN_CONNECTIVE = /^(?:and|but|also|plus|or|then|so|what about|how about|what of|what if|same for|and what about|and how about|how so)\b/i;
const ZH_CONNECTIVE = /^(?:那么|那|还有|另外|此外|而|以及|并且|同样|如果是|若是|换成)/u;
// Pronouns whose referent is in an earlier turn. Checked as whole words (English) or substrings (Chinese).
const EN_ANAPHORA = /\b(?:it|its|they|them|their|theirs|these|those|this|such)\b/i;
const ZH_ANAPHORA = /(?:它们|它|其|该|这些|这种|这类|此)/u;
// "实体瘤呢？" — a trailing 呢 asks "and what about X" on its own.
const ZH_TRAILING_NE = /呢[\s?？!！。.]*$/u;
// Question verbs that say nothing about the topic; carrying them only makes evidence harder to match.
const FILLER = new Set(['occur', 'happen', 'work', 'explain', 'describ', 'tell', 'know', 'mean', 'known', 'exist', 'caus']);

const HAN = /\p{Script=Han}/u;

/**
 * Decides whether a question continues the conversation: it opens with a connective ("and…", "what about…",
 * "那…", "还有…"), is very short, ends in 呢, or leans on a pronoun while naming little itself.
 */
export function isFollowUp(question: string, tokenizer: Tokenizer, options: FollowUpOptions = {}): boolean {
  const text = question.normalize('NFKC').trim();
  const terms = new Set(tokenizer.tokenize(text)).size;
  if (EN_CONNECTIVE.test(text) || ZH_CONNECTIVE.test(text)) return true;
  if (terms <= (options.shortTerms ?? 2)) return true;
  const anaphoraTerms = options.anaphoraTerms ?? 4;
  if (terms <= anaphoraTerms && (EN_ANAPHORA.test(text) || ZH_ANAPHORA.test(text) || ZH_TRAILING_NE.test(text))) return true;
  return false;
}

/**
 * Resolves a question against the earlier questions of its conversation (oldest first). Each earlier question
 * is itself resolved against the ones before it, so a chain of follow-ups keeps the original topic. Pure: the
 * same inputs give the same question.
 */
export function resolveFollowUp(
  question: string,
  history: readonly string[],
  tokenizer: Tokenizer,
  termWeight: TermWeight,
  options: FollowUpOptions = {},
): ResolvedQuestion {
  let topic: string | undefined;
  for (const earlier of history) {
    if (!earlier.trim()) continue;
    topic = topic === undefined ? earlier.trim() : carryOver(earlier, topic, tokenizer, termWeight, options).searched;
  }
  if (topic === undefined) return { searched: question, carried: [] };
  return carryOver(question, topic, tokenizer, termWeight, options);
}

/**
 * The default, model-free {@link QuestionRewriter}: {@link resolveFollowUp} with the index's term weights.
 * A language-model rewriter implements the same interface and is passed to the engine instead.
 */
export function createTermCarryOver(tokenizer: Tokenizer, termWeights: TermWeights, options: FollowUpOptions = {}): QuestionRewriter {
  return {
    rewrite: async (question, history) => {
      const termWeight = await termWeights(conversationTerms(question, history, tokenizer));
      return resolveFollowUp(question, history, tokenizer, termWeight, options).searched;
    },
  };
}

/** The terms carry-over may weigh: each word's, as {@link carryOver} tokenizes them (lazily, see TermWeights). */
function* conversationTerms(question: string, history: readonly string[], tokenizer: Tokenizer): Generator<string> {
  for (const text of [...history, question]) for (const word of surfaceWords(text)) yield* tokenizer.tokenize(word);
}

function carryOver(question: string, topic: string, tokenizer: Tokenizer, termWeight: TermWeight, options: FollowUpOptions): ResolvedQuestion {
  const asked = question.trim();
  if (!isFollowUp(asked, tokenizer, options)) return { searched: question, carried: [] };
  const present = new Set(tokenizer.tokenize(asked));
  const seen = new Set<string>();
  const candidates: Array<{ word: string; weight: number; order: number }> = [];
  surfaceWords(topic).forEach((word, order) => {
    const terms = tokenizer.tokenize(word).filter((term) => !present.has(term) && !FILLER.has(term));
    const key = terms.join(' ');
    if (terms.length === 0 || seen.has(key)) return;
    seen.add(key);
    candidates.push({ word, weight: Math.max(...terms.map(termWeight)), order });
  });
  const carried = candidates
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .slice(0, options.maxCarried ?? 4)
    .sort((a, b) => a.order - b.order)
    .map((c) => c.word);
  if (carried.length === 0) return { searched: question, carried };
  return { searched: `${asked} ${joinWords(carried)}`, carried };
}

// Chinese words read naturally run together; a space is only needed next to a Latin word.
function joinWords(words: string[]): string {
  return words.reduce((out, word, i) => {
    if (i === 0) return word;
    const previous = words[i - 1]!;
    return HAN.test(previous.at(-1)!) && HAN.test(word[0]!) ? out + word : `${out} ${word}`;
  }, '');
}
