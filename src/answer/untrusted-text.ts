/**
 * Abstracts are untrusted text: anyone who can put a file in the corpus can write "ignore all previous
 * instructions" into one. The model is told evidence is data, but a model may obey anyway, so two checks do not
 * depend on it: sentences that read as instructions to an assistant are never shown to the model, and a generated
 * sentence that uses words found only in such screened sentences is dropped.
 */

// Phrases addressed to a language model rather than reporting science, in English and Chinese.
const INSTRUCTION_PATTERNS: RegExp[] = [
  /\b(ignore|disregard|forget|override)\b[^.。!?]{0,40}\b(previous|prior|above|earlier|all|any|your|system)\b[^.。!?]{0,20}\b(instructions?|prompts?|rules?|directions?|context)\b/i,
  /\b(system prompt|developer message|jailbreak|prompt injection)\b/i,
  /\byou (are now|must now|will now|are an? (ai|assistant|language model|chatbot))\b/i,
  /\b(as an? (ai|assistant|language model)|dear (ai|assistant|model)|note to (the )?(ai|assistant|model|llm))\b/i,
  /^\s*(please\s+)?(answer|respond|reply|say|output|print)\b[^.。!?]{0,30}\b(only|exactly|the word|verbatim)\b/i,
  /(忽略|无视|忘记|忽视)[^。！？]{0,15}(之前|以上|前面|所有|先前|上述)[^。！？]{0,10}(指令|指示|提示|规则|要求)/,
  /(系统提示|你现在是|作为(一个)?(人工智能|AI|语言模型|助手))/,
  /^\s*(请|你)?(只|仅)(回答|输出|回复)(?!了)/,
];

/** Does the sentence read as an instruction to an assistant (an injection), not as part of an abstract? */
export function looksLikeInstruction(text: string): boolean {
  return INSTRUCTION_PATTERNS.some((pattern) => pattern.test(text));
}

/** Latin words of 3+ letters (lower-cased) and Han character pairs: enough to tell vocabularies apart. */
export function contentTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{Script=Latin}\p{N}]{3,}/gu) ?? []) terms.add(word);
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) for (let i = 0; i + 1 < run.length; i++) terms.add(run.slice(i, i + 2));
  return terms;
}

/**
 * Terms that occur in screened (instruction-like) sentences and nowhere in what the model was legitimately given.
 * A reply using one of them took it from an injection.
 */
export function injectedTerms(screened: readonly string[], trusted: readonly string[]): Set<string> {
  const allowed = new Set<string>();
  for (const text of trusted) for (const term of contentTerms(text)) allowed.add(term);
  const injected = new Set<string>();
  for (const text of screened) for (const term of contentTerms(text)) if (!allowed.has(term) && !COMMON.has(term)) injected.add(term);
  return injected;
}

/** Does `text` use any of `terms`? */
export function usesAny(text: string, terms: ReadonlySet<string>): boolean {
  if (terms.size === 0) return false;
  for (const term of contentTerms(text)) if (terms.has(term)) return true;
  return false;
}

// Words an honest answer uses whatever the evidence says; an injection sharing them must not censor answers.
const COMMON = new Set([
  'the', 'and', 'for', 'with', 'that', 'this', 'are', 'was', 'were', 'from', 'which', 'these', 'those', 'than', 'not',
  'all', 'any', 'can', 'may', 'has', 'have', 'had', 'its', 'their', 'been', 'also', 'both', 'each', 'such', 'into',
  'more', 'most', 'other', 'some', 'only', 'between', 'about', 'after', 'before', 'through', 'during', 'without',
  'answer', 'answers', 'question', 'questions', 'evidence', 'study', 'studies', 'shows', 'show', 'shown', 'found',
  'reported', 'reports', 'suggest', 'suggests', 'results', 'used', 'using',
]);
