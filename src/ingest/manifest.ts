import { createHash } from 'node:crypto';
import type { AbstractRecord } from '../corpus/record.js';
import type { ShortVectorSettings } from './passage-views.js';

/** How records are cut into embedded units: chunks, and optionally short views of them. */
export interface ChunkingSettings {
  maxTokens: number;
  overlapTokens: number;
  /** Short views embedded besides the chunks; absent: none (an index built before views existed reads the same). */
  shortVectors?: ShortVectorSettings;
}

/** Settings an index was built with; any difference from the current ones makes it stale. */
export interface IndexSettings {
  /** Embedding model id and width, or null for a lexical-only index. */
  model: { id: string; dimension: number } | null;
  /** Name of the lexical tokenizer. */
  tokenizer: string;
  chunking: ChunkingSettings;
  /**
   * Sentence vectors made at build time for the semantic evidence step (sentence-vectors.ts): the characters of a
   * sentence embedded. Absent: none (the answer step embeds sentences per question).
   */
  sentences?: { maxChars: number };
}

/** `index/manifest.json`: what the index holds and how it was built. */
export interface IndexManifest extends IndexSettings {
  formatVersion: typeof INDEX_FORMAT_VERSION;
  builtAt: string;
  counts: { records: number; chunks: number; vectors: number; sentences?: number };
  /** Content hash per record id: a record whose hash changed is re-chunked and re-embedded. */
  records: Record<string, string>;
}

/**
 * Current on-disk format; older indexes are rebuilt (vectors of unchanged passages come from the vector cache).
 * 2: passages embed only titles in the abstract's language (`passageText`), so records with a title in the other
 * language must be re-embedded.
 */
export const INDEX_FORMAT_VERSION = 2;

/** Content hash of a record (every field, in a stable order). */
export function hashRecord(record: AbstractRecord): string {
  return createHash('sha256').update(stableJson(record)).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Why an index no longer matches the corpus and settings, or undefined when it is current. */
export function staleReason(manifest: IndexManifest | undefined, records: AbstractRecord[], settings: IndexSettings): string | undefined {
  if (!manifest) return 'no index yet';
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) return 'index format changed';
  if (manifest.tokenizer !== settings.tokenizer) return 'tokenizer changed';
  if (JSON.stringify(manifest.chunking) !== JSON.stringify(settings.chunking)) return 'chunking settings changed';
  // Without a model the index still serves lexically, so a missing model alone is no reason to rebuild.
  if (settings.model && JSON.stringify(manifest.model) !== JSON.stringify(settings.model)) {
    return `embedding model ${settings.model.id} (${settings.model.dimension}-d) not yet applied`;
  }
  if (settings.model && JSON.stringify(manifest.sentences) !== JSON.stringify(settings.sentences)) {
    return settings.sentences ? 'sentence vectors not yet made' : 'sentence vectors no longer wanted';
  }
  const ids = Object.keys(manifest.records);
  if (ids.length !== records.length) return 'records added or removed';
  const changed = records.filter((r) => manifest.records[r.id] !== hashRecord(r)).length;
  return changed > 0 ? `${changed} record(s) changed` : undefined;
}
