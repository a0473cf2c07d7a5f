import type { Tokenizer } from '../text/tokenize.js';

/**
 * The baseline a segmenter has to beat: lower-case, split on whitespace and punctuation, nothing else (no
 * stemming, no stop words, no Chinese segmentation). A Chinese sentence becomes one term, which is why BM25
 * without segmentation finds almost nothing in Chinese. For measurement only.
 */
export function createWhitespaceTokenizer(): Tokenizer {
  return {
    name: 'whitespace-v1',
    tokenize: (text) => text.normalize('NFKC').toLowerCase().split(/[\s\p{P}]+/u).filter(Boolean),
  };
}
