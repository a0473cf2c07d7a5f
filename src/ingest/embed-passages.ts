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
  embedder: PassageEmbedder;
  /** Vectors already made for these texts (by this model) are taken from here, and new ones checkpointed to it. */
  cache?: VectorCache;
  /** Texts per checkpoint: the work a crash can lose at most. @default 32 */
  checkpointEvery?: number;
  /** Stops between checkpoints; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called with the count of texts the model has embedded so far, out of those not found in the cache. */
  onProgress?: (done: number, total: number) => void;
}

/** Vectors in the order of `texts`, and how many came from the model vs the cache. */
export interface EmbeddedPassages {
  vectors: number[][];
  embedded: number;
  fromCache: number;
}

/**
 * Embeds passages, reusing cached vectors and checkpointing new ones every few batches, so a build killed at
 * `done = X` keeps all but the unfinished checkpoints (one per lane). Work goes in order of text length: neighbouring
 * passages of similar length pad less when batched together. An embedder with `parallelism` n gets n checkpoints at
 * once.
 */
export async function embedPassages(options: EmbedPassagesOptions): Promise<EmbeddedPassages> {
  const { texts, embedder, cache, signal } = options;
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
  const slices: string[][] = [];
  for (let start = 0; start < queue.length; start += step) slices.push(queue.slice(start, start + step));
  // Texts done so far: finished slices plus the progress of those in flight.
  const inFlight = new Map<number, number>();
  let finished = 0;
  const report = () => options.onProgress?.(finished + [...inFlight.values()].reduce((a, b) => a + b, 0), queue.length);
  report();
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < slices.length && !failed) {
      signal?.throwIfAborted();
      const at = next++;
      const slice = slices[at]!;
      inFlight.set(at, 0);
      // Stopping does not wait for the slices in flight (a minute on a busy machine): at most one per lane is lost.
      const made = await abortable(embedder.embedDocuments(slice, (done) => (inFlight.set(at, done), report())), signal);
      await cache?.append(slice.map((text, i) => ({ text, vector: made[i]! })));
      slice.forEach((text, i) => {
        for (const position of missing.get(text)!) vectors[position] = made[i];
      });
      inFlight.delete(at);
      finished += slice.length;
      report();
    }
  };
  const stopOnFailure = (error: unknown) => {
    failed = true; // the other lanes take no new slice
    throw error;
  };
  await Promise.all(Array.from({ length: Math.max(1, embedder.parallelism ?? 1) }, () => lane().catch(stopOnFailure)));
  return { vectors: vectors as number[][], embedded: queue.length, fromCache: texts.length - [...missing.values()].flat().length };
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
