import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, setPriority } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PassageEmbedder } from './embed-passages.js';
import type { ModelLoadOptions } from './model-loader.js';

/** Thrown when an embedding process cannot load the model or dies; the build then fails and the last good index stays. */
export class EmbedWorkerError extends Error {
  override name = 'EmbedWorkerError';
}

/** Options of {@link EmbedderPool.start}: where the model is, and how many processes embed with it. */
export interface EmbedderPoolOptions extends ModelLoadOptions {
  /** Embedding processes, each with its own copy of the model (~300 MB). @default os.availableParallelism() */
  processes?: number;
  /** Niceness of the processes, so the server's requests run first on a shared core. @default 10 */
  niceness?: number;
}

type Reply =
  | { type: 'ready'; dimension: number }
  | { type: 'failed'; message: string }
  | { type: 'progress'; id: number; done: number }
  | { type: 'result'; id: number; data: Float32Array }
  | { type: 'error'; id: number; message: string };

interface Pending {
  size: number;
  resolve(vectors: number[][]): void;
  reject(error: Error): void;
  onBatch?: (done: number) => void;
}

/**
 * Embeds passages in child processes, one per core, each running onnxruntime on one thread. On 2 cores two
 * single-threaded processes embed ~15 % more passages per second than one process with two threads: a thread's
 * tokenizing and pooling no longer leaves the other core idle (README, embedding speed). Callers get the
 * parallelism by having up to `parallelism` calls in flight (see `embedPassages`).
 * @example
 * const pool = await EmbedderPool.start({ ...modelLoadOptions(config), modelDir: model.root, allowDownload: false });
 * const vectors = await pool.embedDocuments(['passage one', 'passage two']);
 * await pool.close();
 */
export class EmbedderPool implements PassageEmbedder {
  private constructor(
    private readonly processes: EmbedProcess[],
    readonly dimension: number,
  ) {}

  /** Calls that keep every process busy. */
  get parallelism(): number {
    return this.processes.length;
  }

  /** Starts the processes and resolves once each has loaded its model. */
  static async start(options: EmbedderPoolOptions): Promise<EmbedderPool> {
    const { processes = availableParallelism(), niceness = 10, onDownloadProgress: _, ...load } = options;
    const count = Math.max(1, processes);
    const threads = Math.max(1, Math.floor(availableParallelism() / count));
    const started = await Promise.allSettled(Array.from({ length: count }, () => EmbedProcess.start({ ...load, threads }, niceness)));
    const ready = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      ready.forEach((p) => p.kill());
      throw failed.reason;
    }
    return new EmbedderPool(ready, ready[0]!.dimension);
  }

  /** Embeds passages (without prefix) in the least busy process. */
  embedDocuments(texts: string[], onBatch?: (done: number) => void): Promise<number[][]> {
    const idlest = this.processes.reduce((a, b) => (b.queued < a.queued ? b : a));
    return idlest.embed(texts, onBatch);
  }

  /** Stops the processes at once (a batch in progress is dropped); requests still pending reject. */
  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill()));
  }
}

/**
 * A pool started on the first call only: loading the model takes each process a second or two, and most index
 * updates embed nothing (every vector is in the cache).
 * @example
 * const embedder = lazyEmbedderPool({ ...modelLoadOptions(config), modelDir: model.root, allowDownload: false, processes: config.embedProcesses });
 * await embedPassages({ texts, embedder, cache });
 * await embedder.close();
 */
export function lazyEmbedderPool(options: EmbedderPoolOptions): PassageEmbedder & { close(): Promise<void> } {
  let started: Promise<EmbedderPool> | undefined;
  return {
    parallelism: Math.max(1, options.processes ?? availableParallelism()),
    async embedDocuments(texts, onBatch) {
      started ??= EmbedderPool.start(options);
      return (await started).embedDocuments(texts, onBatch);
    },
    async close() {
      if (started) await (await started.catch(() => undefined))?.close();
    },
  };
}

/** One embedding child process and the requests it owes. */
class EmbedProcess {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly dimension: number,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (reply: Reply) => this.onReply(reply));
    child.on('exit', (code, signal) => this.fail(new EmbedWorkerError(`embedding process exited (${signal ?? `code ${code}`})`)));
  }

  static start(options: ModelLoadOptions, niceness: number): Promise<EmbedProcess> {
    const { entry, execArgv } = childEntry();
    const child = fork(entry, [JSON.stringify(options)], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      if (child.pid) setPriority(child.pid, niceness);
    } catch {
      // Not allowed here (some containers): the process then competes with the server as an equal.
    }
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) =>
        reject(new EmbedWorkerError(`embedding process exited (${signal ?? `code ${code}`}) before its model loaded`));
      child.once('error', reject);
      child.once('exit', onExit);
      child.once('message', (reply: Reply) => {
        child.off('error', reject);
        child.off('exit', onExit);
        if (reply.type === 'ready') return resolve(new EmbedProcess(child, reply.dimension));
        child.kill();
        reject(new EmbedWorkerError(reply.type === 'failed' ? reply.message : `unexpected first message ${reply.type}`));
      });
    });
  }

  /** Texts sent and not yet returned. */
  get queued(): number {
    let texts = 0;
    for (const p of this.pending.values()) texts += p.size;
    return texts;
  }

  embed(texts: string[], onBatch?: (done: number) => void): Promise<number[][]> {
    if (this.failure) return Promise.reject(this.failure);
    if (texts.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { size: texts.length, resolve, reject, onBatch });
      this.child.send({ id, texts });
    });
  }

  async kill(): Promise<void> {
    this.fail(new EmbedWorkerError('embedding process stopped'));
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private onReply(reply: Reply): void {
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

// The product runs TypeScript through tsx, whose loader a child needs too (a compiled build runs the .js entry).
function childEntry(): { entry: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const entry = here.replace(/embedder-pool\.(ts|js)$/, 'embed-child.$1');
  if (!here.endsWith('.ts')) return { entry, execArgv: [] };
  return { entry, execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] };
}
