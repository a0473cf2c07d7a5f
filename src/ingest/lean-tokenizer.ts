import { AutoTokenizer, PreTrainedTokenizer } from '@xenova/transformers';
import { getModelJSON } from '@xenova/transformers/src/utils/hub.js';
import { CharTrie } from '@xenova/transformers/src/utils/data-structures.js';

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

/**
 * Loads a model's tokenizer as `AutoTokenizer.from_pretrained` does, made lean ({@link leanUnigramTokenizer})
 * without ever building the trie: built and then dropped, it still grows the heap by ~200 MB at start-up.
 * @example
 * const tokenizer = await loadLeanTokenizer('Xenova/multilingual-e5-small', { progress_callback });
 */
export async function loadLeanTokenizer(modelId: string, options: { progress_callback?: (event: never) => void } = {}): Promise<PreTrainedTokenizer> {
  const [json, config] = (await Promise.all([
    getModelJSON(modelId, 'tokenizer.json', true, options as never),
    getModelJSON(modelId, 'tokenizer_config.json', true, options as never),
  ])) as [{ model?: { type?: string } }, { tokenizer_class?: string }];
  const name = config.tokenizer_class?.replace(/Fast$/, '') ?? 'PreTrainedTokenizer';
  const mapping = (AutoTokenizer as unknown as { TOKENIZER_CLASS_MAPPING: Record<string, typeof PreTrainedTokenizer> }).TOKENIZER_CLASS_MAPPING;
  const TokenizerClass = mapping[name] ?? PreTrainedTokenizer;
  // Only a Unigram model builds a CharTrie, in its (synchronous) constructor, so nothing else can build one while
  // `extend` is skipped; the lookups that replace it are installed right after.
  const extend = CharTrie.prototype.extend;
  CharTrie.prototype.extend = () => {};
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = new TokenizerClass(json, config);
  } finally {
    CharTrie.prototype.extend = extend;
  }
  if (!leanUnigramTokenizer(tokenizer as unknown as { model?: unknown }) && json.model?.type === 'Unigram') {
    throw new Error(`the Unigram tokenizer of ${modelId} does not have the shape transformers.js 2.17 gives it`);
  }
  return tokenizer;
}
