/**
 * transformers.js 2.17 finds a Unigram (sentencepiece) tokenizer's candidate pieces with a character trie that has
 * one `Map` per node: for multilingual-e5-small's 250,002 pieces that is ~120 MB of heap that lives as long as the
 * model, more than the int8 model itself. The tokenizer also keeps the parsed vocabulary it was built from.
 */

/** The part of a transformers.js Unigram tokenizer model this module touches. */
interface UnigramModel {
  vocab: string[];
  tokens_to_ids: Map<string, number>;
  trie: { commonPrefixSearch(text: string): Iterable<string> };
  config?: Record<string, unknown>;
}

function isUnigram(model: unknown): model is UnigramModel {
  const m = model as Partial<UnigramModel> | undefined;
  return Boolean(m && Array.isArray(m.vocab) && m.tokens_to_ids instanceof Map && typeof m.trie?.commonPrefixSearch === 'function');
}

/**
 * Replaces a Unigram tokenizer's trie by lookups in the piece → id map it already holds, and drops the parsed
 * vocabulary its config kept: multilingual-e5-small's tokenizer goes from ~204 MB to ~80 MB of RSS, and gives the
 * same ids (the lookup yields the same pieces in the same order). A tokenizer of another kind is left as it is.
 * Returns whether the tokenizer was changed.
 * @example
 * const tokenizer = await AutoTokenizer.from_pretrained('Xenova/multilingual-e5-small');
 * leanUnigramTokenizer(tokenizer); // true
 */
export function leanUnigramTokenizer(tokenizer: { model?: unknown }): boolean {
  const model = tokenizer.model;
  if (!isUnigram(model)) return false;
  let longest = 0;
  for (const piece of model.vocab) longest = Math.max(longest, piece.length);
  const ids = model.tokens_to_ids;
  model.trie = {
    // The trie is walked one UTF-16 unit at a time while its nodes are keyed by whole code points, so it never
    // matches past a surrogate; stopping there keeps the ids exactly those of the original.
    *commonPrefixSearch(text: string) {
      const end = Math.min(text.length, longest);
      for (let length = 1; length <= end; length++) {
        const unit = text.charCodeAt(length - 1);
        if (unit >= 0xd800 && unit <= 0xdfff) return;
        const prefix = text.slice(0, length);
        if (ids.has(prefix)) yield prefix;
      }
    },
  };
  if (model.config) model.config = { ...model.config, vocab: undefined };
  return true;
}
