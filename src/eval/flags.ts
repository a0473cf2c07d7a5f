import type { ChunkingSettings } from '../ingest/manifest.js';
import type { ShortVectorSettings } from '../ingest/passage-views.js';
import type { FusionMethod, RetrievalMode, RetrieverOptions } from '../retrieve/retriever.js';
import { createTokenizer, type Tokenizer, type TokenizerOptions } from '../text/tokenize.js';
import { createWhitespaceTokenizer } from './whitespace-tokenizer.js';
import { effectiveOverlap } from '../ingest/index-defaults.js';

/** Raw `npm run eval` flag values as `parseArgs` returns them. */
export type RawEvalFlags = Record<string, string | boolean | undefined>;

/** Validated evaluation settings. */
export interface EvalFlags {
  mode: RetrievalMode;
  cutoff: number;
  limitQueries?: number;
  /** Options of the product tokenizer, or the `whitespace` baseline (`--zh whitespace`). */
  tokenizer: TokenizerOptions | 'whitespace';
  /** Only the options given on the command line; the rest stay the Retriever's defaults. */
  retriever: RetrieverOptions;
  chunking: ChunkingSettings;
}

const MODES: readonly RetrievalMode[] = ['lexical', 'dense', 'hybrid'];
const FUSIONS: readonly FusionMethod[] = ['rrf', 'normalized'];
const SCORINGS = ['bm25', 'bm25f'] as const;
const CHINESE = ['words', 'bigrams', 'none', 'whitespace'] as const;
const SHORT_KINDS = ['none', 'lead', 'windows'] as const;

/**
 * Turns the command-line flags into settings, naming the flag in any error. Unset tuning flags leave the
 * product defaults in place, so a plain run measures what the product ships.
 * @param defaults chunking and HNSW `ef` of the current configuration (CHUNK_MAX_TOKENS, CHUNK_OVERLAP_TOKENS, HNSW_EF).
 */
export function parseEvalFlags(values: RawEvalFlags, defaults: { maxTokens: number; overlapTokens: number; ef: number; shortVectors?: ShortVectorSettings }): EvalFlags {
  const mode = oneOf('mode', values.mode ?? 'lexical', MODES);
  const retriever: RetrieverOptions = { ef: defaults.ef };
  const k1 = number('k1', values.k1, 0, 10);
  const b = number('b', values.b, 0, 1);
  const lexicalWeight = number('lexical-weight', values['lexical-weight'], 0, 1);
  const crossLexicalWeight = number('cross-lexical-weight', values['cross-lexical-weight'], 0, 1);
  const crossLanguageOffset = number('cross-offset', values['cross-offset'], -1, 1);
  const candidates = integer('candidates', values.candidates, 1, 10_000);
  const ef = integer('ef', values.ef, 1, 10_000);
  if (k1 !== undefined) retriever.k1 = k1;
  if (b !== undefined) retriever.b = b;
  if (lexicalWeight !== undefined) retriever.lexicalWeight = lexicalWeight;
  if (crossLexicalWeight !== undefined) retriever.crossLexicalWeight = crossLexicalWeight;
  if (crossLanguageOffset !== undefined) retriever.crossLanguageOffset = crossLanguageOffset;
  if (values['no-translate']) retriever.translate = false;
  if (candidates !== undefined) retriever.candidates = candidates;
  if (ef !== undefined) retriever.ef = ef;
  if (values.fusion !== undefined) retriever.fusion = oneOf('fusion', values.fusion, FUSIONS);
  if (values.scoring !== undefined) retriever.scoring = oneOf('scoring', values.scoring, SCORINGS);
  if (values.fields !== undefined) retriever.fieldWeights = fieldWeights(String(values.fields));

  const zh = values.zh === undefined ? undefined : oneOf('zh', values.zh, CHINESE);
  const tokenizer: EvalFlags['tokenizer'] = zh === 'whitespace' ? 'whitespace' : {};
  if (typeof tokenizer === 'object') {
    if (zh) tokenizer.chinese = zh as Exclude<typeof zh, 'whitespace'>;
    if (values['no-stem'] === true) tokenizer.stem = false;
  }

  const maxTokens = integer('chunk-tokens', values['chunk-tokens'], 16, 100_000) ?? defaults.maxTokens;
  const overlapTokens = integer('chunk-overlap', values['chunk-overlap'], 0, 100_000) ?? defaults.overlapTokens;
  const shortKind = values['short-vectors'] === undefined ? defaults.shortVectors?.kind ?? 'none' : oneOf('short-vectors', values['short-vectors'], SHORT_KINDS);
  const shortTokens = integer('short-tokens', values['short-tokens'], 8, 1000) ?? defaults.shortVectors?.maxTokens ?? 64;
  const shortVectors = shortKind === 'none' ? undefined : { kind: shortKind, maxTokens: shortTokens };
  return {
    mode,
    cutoff: integer('k', values.k, 1, 1000) ?? 10,
    limitQueries: integer('limit-queries', values['limit-queries'], 1, 1_000_000),
    tokenizer,
    retriever,
    chunking: { maxTokens, overlapTokens: effectiveOverlap(maxTokens, overlapTokens), ...(shortVectors && { shortVectors }) },
  };
}

function oneOf<T extends string>(flag: string, value: string | boolean, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`--${flag} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

function number(flag: string, value: string | boolean | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new Error(`--${flag} must be a number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return n;
}

function integer(flag: string, value: string | boolean | undefined, min: number, max: number): number | undefined {
  const n = number(flag, value, min, max);
  if (n !== undefined && !Number.isInteger(n)) throw new Error(`--${flag} must be a whole number (got ${JSON.stringify(value)})`);
  return n;
}

function fieldWeights(spec: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const part of spec.split(',')) {
    const [field, weight] = part.split('=');
    const n = Number(weight);
    if (!field || weight === undefined || weight.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw new Error(`--fields must look like title=1.5,keywords=1,body=1 (got ${JSON.stringify(spec)})`);
    }
    weights[field.trim()] = n;
  }
  return weights;
}

/** The tokenizer the flags ask for. */
export function tokenizerFor(flags: Pick<EvalFlags, 'tokenizer'>): Tokenizer {
  return flags.tokenizer === 'whitespace' ? createWhitespaceTokenizer() : createTokenizer(flags.tokenizer);
}
