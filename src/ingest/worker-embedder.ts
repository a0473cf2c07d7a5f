import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PassageEmbedder } from './embed-passages.js';
import type { ModelLoadOptions } from './model-loader.js';

/** Thrown when the worker cannot load the model or dies; the build then fails and the last good index stays. */
export class EmbedWorkerError extends Error {
  override name = 'EmbedWorkerError';
}

type Reply =
  | { type: 'ready'; dimension: number }
  | { type: 'failed'; message: string }
  | { type: 'progress'; id: number; done: number }
  | { type: 'result'; id: number; data: Float32Array }
  | { type: 'error'; id: number; message: string };

interface Pending {
  resolve(vectors: number[][]): void;
  reject(error: Error): void;
  onBatch?: (done: number) => void;
}

/** Longest wait for a batch in progress when the worker is closed. */
const CLOSE_GRACE_MS = 60_000;

/**
 * Embeds passages in a worker thread that loads its own copy of the model (node:worker_threads): the server's
 * event loop stays free for `/ask` while an index is being built.
 * @example
 * const embedder = await WorkerEmbedder.start(modelLoadOptions(config));
 * const vectors = await embedder.embedDocuments(['passage one', 'passage two']);
 * await embedder.close();
 */
export class WorkerEmbedder implements PassageEmbedder {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  private drained: (() => void) | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly dimension: number,
  ) {
    worker.on('message', (reply: Reply) => this.onReply(reply));
    worker.on('error', (error) => this.fail(new EmbedWorkerError(`embedding worker failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new EmbedWorkerError(`embedding worker exited (code ${code})`)));
  }

  /** Starts the worker and resolves once its model is loaded. */
  static start(options: ModelLoadOptions): Promise<WorkerEmbedder> {
    const worker = new Worker(bootstrap(), { eval: true, workerData: options });
    return new Promise((resolve, reject) => {
      const onExit = (code: number) => reject(new EmbedWorkerError(`embedding worker exited (code ${code}) before its model loaded`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (reply: Reply) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        if (reply.type === 'ready') resolve(new WorkerEmbedder(worker, reply.dimension));
        else {
          void worker.terminate();
          reject(new EmbedWorkerError(reply.type === 'failed' ? reply.message : `unexpected first message ${reply.type}`));
        }
      });
    });
  }

  embedDocuments(texts: string[], onBatch?: (done: number) => void): Promise<number[][]> {
    if (this.failure) return Promise.reject(this.failure);
    if (texts.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onBatch });
      this.worker.postMessage({ id, texts });
    });
  }

  /** Stops the worker; requests still pending reject. */
  async close(): Promise<void> {
    // Terminating the thread while onnxruntime runs inside it can take the whole process down (seen when an upload
    // restarted a build mid-batch): the batch in progress is let finish, its result dropped.
    const busy = this.pending.size > 0 ? new Promise<void>((resolve) => (this.drained = resolve)) : undefined;
    this.fail(new EmbedWorkerError('embedding worker closed'));
    if (busy) await Promise.race([busy, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
    await this.worker.terminate();
  }

  private onReply(reply: Reply): void {
    if (reply.type === 'result' || reply.type === 'error') this.drained?.();
    if (!('id' in reply)) return;
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if (reply.type === 'progress') return pending.onBatch?.(reply.done);
    this.pending.delete(reply.id);
    if (reply.type === 'error') return pending.reject(new EmbedWorkerError(reply.message));
    const vectors: number[][] = [];
    for (let at = 0; at < reply.data.length; at += this.dimension) vectors.push(Array.from(reply.data.subarray(at, at + this.dimension)));
    pending.resolve(vectors);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}

// The product runs TypeScript through tsx; a worker does not inherit tsx's loader hooks, so the worker registers
// them itself before importing its entry (a compiled build imports the .js entry directly).
function bootstrap(): string {
  const here = fileURLToPath(import.meta.url);
  const entry = pathToFileURL(here.replace(/worker-embedder\.(ts|js)$/, 'embed-worker.$1')).href;
  const load = `import(${JSON.stringify(entry)})`;
  const tsx = JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href);
  return here.endsWith('.ts') ? `import(${tsx}).then(({ register }) => { register(); return ${load}; });` : load;
}
