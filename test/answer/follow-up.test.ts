import { describe, expect, it } from 'vitest';
import { createTermCarryOver, isFollowUp, resolveFollowUp } from '../../src/answer/follow-up.js';
import { surfaceWords } from '../../src/text/tokenize.js';
import { createTokenizer } from '../../src/text/tokenize.js';

const tokenizer = createTokenizer();
// Rare words weigh more, as idf does in the engine; everything else weighs 1.
const RARE: Record<string, number> = { exhaust: 5, cart: 4, car: 3, 耗竭: 5, 机制: 3, melanoma: 5, blockad: 4, pd1: 4 };
const weight = (term: string) => RARE[term] ?? 1;
const resolve = (question: string, history: string[]) => resolveFollowUp(question, history, tokenizer, weight);

describe('isFollowUp', () => {
  it.each([
    'and in solid tumours?',
    'And what about solid tumors?',
    'What about 4-1BB costimulation in lymphoma patients?',
    'how about melanoma',
    'solid tumours?',
    'Does it work in lymphoma?',
    '那在实体瘤中呢？',
    '还有哪些策略？',
    '实体瘤呢？',
    '它们如何被逆转？',
  ])('treats %j as a follow-up', (question) => {
    expect(isFollowUp(question, tokenizer)).toBe(true);
  });

  it.each([
    'How does CAR-T cell exhaustion occur in solid tumours?',
    'Does PD-1 blockade improve survival in advanced melanoma?',
    'CAR-T细胞耗竭的机制和逆转策略是什么？',
    'Android apps leak location data through third-party libraries',
  ])('treats %j as standalone', (question) => {
    expect(isFollowUp(question, tokenizer)).toBe(false);
  });
});

describe('resolveFollowUp', () => {
  it('carries the previous question’s most informative words over, spelled as asked', () => {
    const resolved = resolve('and in solid tumours?', ['How does CAR-T cell exhaustion occur?']);
    expect(resolved.carried).toEqual(['CAR-T', 'cell', 'exhaustion']);
    expect(resolved.searched).toBe('and in solid tumours? CAR-T cell exhaustion');
  });

  it('leaves a standalone question exactly as asked, even with history', () => {
    const question = 'Does PD-1 blockade improve survival in advanced melanoma?';
    expect(resolve(question, ['How does CAR-T cell exhaustion occur?'])).toEqual({ searched: question, carried: [] });
  });

  it('does nothing without history', () => {
    expect(resolve('and in solid tumours?', [])).toEqual({ searched: 'and in solid tumours?', carried: [] });
  });

  it('does not repeat words the follow-up already has, and drops topic-free verbs like "occur"', () => {
    const resolved = resolve('what about CAR-T in lymphoma?', ['How does CAR-T cell exhaustion occur?']);
    expect(resolved.carried).toEqual(['cell', 'exhaustion']);
  });

  it('keeps at most maxCarried words, the heaviest ones, in their original order', () => {
    const resolved = resolveFollowUp('and melanoma?', ['Why does PD-1 blockade fail against CAR-T exhaustion in lymphoma?'], tokenizer, weight, { maxCarried: 2 });
    expect(resolved.carried).toEqual(['PD-1', 'exhaustion']);
  });

  it('keeps the original topic through a chain of follow-ups', () => {
    const resolved = resolve('what about melanoma?', ['How does CAR-T cell exhaustion occur?', 'and in solid tumours?']);
    expect(resolved.searched).toMatch(/^what about melanoma\? /);
    expect(resolved.carried).toEqual(expect.arrayContaining(['CAR-T', 'exhaustion']));
  });

  it('resolves each earlier question only against the ones before it', () => {
    const resolved = resolve('and in melanoma?', ['How does CAR-T cell exhaustion occur?', 'Does PD-1 blockade improve survival?']);
    expect(resolved.carried).toEqual(['PD-1', 'blockade', 'improve', 'survival']);
  });

  it('joins carried Chinese words without spaces, and Latin ones with a space', () => {
    const resolved = resolve('那如何逆转？', ['CAR-T细胞耗竭的机制是什么？']);
    expect(resolved.carried).toEqual(['CAR-T', '细胞', '耗竭', '机制']);
    expect(resolved.searched).toBe('那如何逆转？ CAR-T 细胞耗竭机制');
  });

  it('ignores blank history entries', () => {
    expect(resolve('and in solid tumours?', ['  ', 'CAR-T exhaustion']).searched).toBe('and in solid tumours? CAR-T exhaustion');
  });
});

describe('surfaceWords', () => {
  it('keeps hyphenated words whole and segments Chinese into dictionary words', () => {
    expect(surfaceWords('Does 4-1BB help CAR-T细胞?')).toEqual(['Does', '4-1BB', 'help', 'CAR-T', '细胞']);
  });
});

describe('createTermCarryOver', () => {
  it('is a QuestionRewriter returning the searched question', async () => {
    const rewriter = createTermCarryOver(tokenizer, async () => weight);
    await expect(rewriter.rewrite('and in solid tumours?', ['How does CAR-T cell exhaustion occur?'])).resolves.toBe('and in solid tumours? CAR-T cell exhaustion');
  });
});
