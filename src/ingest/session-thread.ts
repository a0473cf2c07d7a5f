import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
// transformers.js's own onnxruntime module: its Tensor class is the one its models turn outputs into their own.
import { ONNX } from '@xenova/transformers/src/backends/onnx.js';

/** A tensor as it crosses the thread boundary. */
export interface TensorData {
  type: string;
  data: ArrayBufferView;
  dims: number[];
}

/** The part of an onnxruntime InferenceSession that transformers.js' models call. */
export interface SessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, TensorData>): Promise<Record<string, unknown>>;
}

/** Thrown when the session thread cannot load the model or has died. */
export class SessionThreadError extends Error {
  override name = 'SessionThreadError';
}

/**
 * An onnxruntime session that runs in its own worker thread, for the server's question model: onnxruntime-node
 * runs a model synchronously, so on the main thread every question's ~11 ms of model work stopped all other
 * requests; in a thread, that work overlaps the JavaScript of the requests around it (README, serving). Runs are
 * never batched together: a question's vector is the same whatever else is asked at the time.
 * @example
 * const session = await startSessionThread('models/Xenova/multilingual-e5-small/onnx/model_quantized.onnx', { threads: 1 });
 * const model = new BertModel(config, session); // what transformers.js' AutoModel builds over a session
 */
export function startSessionThread(file: string, options: { threads?: number } = {}): Promise<SessionLike> {
  const worker = new Worker(bootstrap(), { eval: true, workerData: { file, threads: options.threads } });
  // The thread lives as long as the model, which is as long as the server: it keeps the process alive until the
  // server exits. Left to die with a process that ends by itself, onnxruntime's teardown in the thread aborts it
  // (exit code 134), so only the embedded server, which ends with process.exit, runs its model here.
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new SessionThreadError(`onnxruntime session thread exited (code ${code}) before its model loaded`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (reply: { type: string; inputNames?: string[]; outputNames?: string[]; message?: string }) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      if (reply.type === 'ready') resolve(new ThreadSession(worker, reply.inputNames!, reply.outputNames!));
      else reject(new SessionThreadError(`onnxruntime could not load ${file}: ${reply.message}`));
    });
  });
}

class ThreadSession implements SessionLike {
  private readonly pending = new Map<number, { resolve(outputs: Record<string, unknown>): void; reject(error: Error): void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(
    private readonly worker: Worker,
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
  ) {
    worker.on('message', (reply: { id: number; outputs?: Record<string, TensorData>; error?: string }) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined || !reply.outputs) return pending.reject(new SessionThreadError(reply.error ?? 'no outputs'));
      pending.resolve(Object.fromEntries(Object.entries(reply.outputs).map(([name, t]) => [name, new ONNX.Tensor(t.type as 'float32', t.data as Float32Array, t.dims)])));
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const pending of this.pending.values()) pending.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new SessionThreadError(`onnxruntime session thread failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new SessionThreadError(`onnxruntime session thread exited (code ${code})`)));
  }

  run(feeds: Record<string, TensorData>): Promise<Record<string, unknown>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const plain = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, { type: t.type, data: t.data, dims: [...t.dims] }]));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, feeds: plain });
    });
  }
}

// The product runs TypeScript through tsx; a worker does not inherit tsx's loader hooks, so the worker registers
// them itself before importing its entry (a compiled build imports the .js entry directly).
function bootstrap(): string {
  const here = fileURLToPath(import.meta.url);
  const entry = pathToFileURL(here.replace(/session-thread\.(ts|js)$/, 'session-thread-worker.$1')).href;
  const load = `import(${JSON.stringify(entry)})`;
  const tsx = JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href);
  return here.endsWith('.ts') ? `import(${tsx}).then(({ register }) => { register(); return ${load}; });` : load;
}
