/**
 * Folds text for "is this the same text?" comparisons: NFKC (full-width → half-width), lower case, and only letters
 * and digits kept, so punctuation, spacing and dash differences between two copies of an article do not matter.
 *
 * @example
 * foldText('T-cell exhaustion — a review.') === foldText('T cell exhaustion: a review') // true
 */
export function foldText(text: string): string {
  // De-duplication folds every abstract of a corpus: ASCII text (most of it) skips Unicode normalisation.
  if (ASCII_ONLY.test(text)) return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const ASCII_ONLY = /^[\x00-\x7F]*$/;
