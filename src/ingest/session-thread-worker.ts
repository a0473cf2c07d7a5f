/**
 * Worker-thread entry of {@link startSessionThread}: holds one onnxruntime session and runs it on request.
 *
 * workerData: `{ file, threads }`. Messages out: `{ type: 'ready', inputNames, outputNames }` (or `{ type: 'failed',
 * message }`), then per request `{ id, outputs: { name: { type, data, dims } } }` or `{ id, error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
// transformers.js's own onnxruntime module, as on the main thread (one onnxruntime-node in the process).
import { ONNX } from '@xenova/transformers/src/backends/onnx.js';
import type { TensorData } from './session-thread.js';

const port = parentPort!;
const { file, threads } = workerData as { file: string; threads?: number };
try {
  const session = await ONNX.InferenceSession.create(file, { executionProviders: ['cpu'], ...(threads ? { intraOpNumThreads: threads } : {}) });
  port.postMessage({ type: 'ready', inputNames: session.inputNames, outputNames: session.outputNames });
  // One run at a time, in arrival order (onnxruntime-node runs synchronously on this thread anyway).
  port.on('message', async ({ id, feeds }: { id: number; feeds: Record<string, TensorData> }) => {
    try {
      const inputs = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ONNX.Tensor(t.type as 'float32', t.data as Float32Array, t.dims)]));
      const results = await session.run(inputs);
      const outputs: Record<string, TensorData> = {};
      for (const [name, tensor] of Object.entries(results)) outputs[name] = { type: tensor.type, data: tensor.data as ArrayBufferView, dims: [...tensor.dims] };
      port.postMessage({ id, outputs }, Object.values(outputs).map((t) => (t.data as { buffer: ArrayBuffer }).buffer));
    } catch (error) {
      port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
} catch (error) {
  port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
