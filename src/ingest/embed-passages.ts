import type { VectorCache } from './vector-cache.js';

/** What embeds passages: the in-process {@link E5Embeddings} or the worker-thread client. */
export interface PassageEmbedder {
  /** Embeds passages (without prefix); `onBatch` reports how many are done within this call. */
  embedDocuments(texts: string[], onBatch?: (done: number) => void): Promise<number[][]>;
  /** Calls it can run at once (a pool of processes); the checkpoints are then embedded side by side. @default 1 */
  readonly parallelism?: number;
}

/** Options of {@link embedPassages}. */
export interface EmbedPassagesOptions {
  texts: string[];
  /**
   * Texts embedded in one call per group, never batched with any other text: an abstract's sentences for the
   * semantic evidence step (sentence-vectors.ts). With the quantized model a vector moves with what it was batched
   * with, so a group is embedded exactly as the answer step would embed it. Cached under {@link groupCacheText}.
   * @default []
   */
  groups?: string[][];
  embedder: PassageEmbedder;
  /** Vectors already made for these texts (by this model) are taken from here, and new ones checkpointed to it. */
  cache?: VectorCache;
  /** Texts per checkpoint: the work a crash can lose at most (a group is one checkpoint). @default 32 */
  checkpointEvery?: number;
  /** Stops between checkpoints; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called with the count of texts the model has embedded so far, out of those not found in the cache. */
  onProgress?: (done: number, total: number) => void;
}

/** Vectors in the order of `texts` (and of each group), and how many texts came from the model vs the cache. */
export interface EmbeddedPassages {
  vectors: number[][];
  groupVectors: number[][][];
  /** Texts the model embedded, groups' included. */
  embedded: number;
  /** Of those, the texts of groups. */
  embeddedInGroups: number;
  fromCache: number;
}

/**
 * What a group member's vector is cached under: its group's texts and its place in it, since its vector depends on
 * both (a plain text never starts with the NUL that opens this).
 */
export function groupCacheText(group: string[], position: number): string {
  return `\u0000group ${position}\u0000${group.join('\u0000')}`;
}

/**
 * Embeds passages, reusing cached vectors and checkpointing new ones every few batches, so a build killed at
 * `done = X` keeps all but the unfinished checkpoints (one per lane). Work goes in order of text length: neighbouring
 * passages of similar length pad less when batched together. Groups come after the passages, one call each. An
 * embedder with `parallelism` n gets n checkpoints at once.
 */
export async function embedPassages(options: EmbedPassagesOptions): Promise<EmbeddedPassages> {
  const { texts, embedder, cache, signal } = options;
  const groups = options.groups ?? [];
  const vectors: Array<number[] | undefined> = texts.map((text) => cache?.get(text));
  const missing = new Map<string, number[]>(); // text → positions (a text repeated is embedded once)
  texts.forEach((text, i) => {
    if (vectors[i]) return;
    const list = missing.get(text);
    if (list) list.push(i);
    else missing.set(text, [i]);
  });
  const queue = [...missing.keys()].sort((a, b) => a.length - b.length);
  const step = Math.max(1, options.checkpointEvery ?? 32);
  // A unit is one embedding call and one checkpoint: what it embeds, the cache texts it is stored under, and where
  // its vectors go.
  const units: Array<{ texts: string[]; cacheTexts: string[]; deliver: (made: number[][]) => void }> = [];
  for (let start = 0; start < queue.length; start += step) {
    const slice = queue.slice(start, start + step);
    units.push({ texts: slice, cacheTexts: slice, deliver: (made) => slice.forEach((text, i) => missing.get(text)!.forEach((position) => (vectors[position] = made[i]))) });
  }
  let groupTextsCached = 0;
  let embeddedInGroups = 0;
  const groupVectors = groups.map((group, g) => {
    const cacheTexts = group.map((_, position) => groupCacheText(group, position));
    const cached = cacheTexts.map((text) => cache?.get(text));
    if (cached.every((vector) => vector !== undefined)) {
      groupTextsCached += group.length;
      return cached as number[][];
    }
    units.push({ texts: group, cacheTexts, deliver: (made) => (groupVectors[g] = made) });
    embeddedInGroups += group.length;
    return [];
  });
  const total = units.reduce((sum, unit) => sum + unit.texts.length, 0);
  // Texts done so far: finished units plus the progress of those in flight.
  const inFlight = new Map<number, number>();
  let finished = 0;
  const report = () => options.onProgress?.(finished + [...inFlight.values()].reduce((a, b) => a + b, 0), total);
  report();
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < units.length && !failed) {
      signal?.throwIfAborted();
      const at = next++;
      const unit = units[at]!;
      inFlight.set(at, 0);
      // Stopping does not wait for the units in flight (a minute on a busy machine): at most one per lane is lost.
      const made = await abortable(embedder.embedDocuments(unit.texts, (done) => (inFlight.set(at, done), report())), signal);
      await cache?.append(unit.cacheTexts.map((text, i) => ({ text, vector: made[i]! })));
      unit.deliver(made);
      inFlight.delete(at);
      finished += unit.texts.length;
      report();
    }
  };
  const stopOnFailure = (error: unknown) => {
    failed = true; // the other lanes take no new unit
    throw error;
  };
  await Promise.all(Array.from({ length: Math.max(1, embedder.parallelism ?? 1) }, () => lane().catch(stopOnFailure)));
  return {
    vectors: vectors as number[][],
    groupVectors,
    embedded: total,
    embeddedInGroups,
    fromCache: texts.length - [...missing.values()].flat().length + groupTextsCached,
  };
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
