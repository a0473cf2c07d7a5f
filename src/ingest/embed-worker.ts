/**
 * Worker-thread entry of {@link WorkerEmbedder}: loads the embedding model and embeds passages on request, so the
 * minutes of matrix work an index build takes never block the server's event loop.
 *
 * Messages in: `{ id, texts }`. Out: `{ type: 'ready', dimension }` once, then per request `{ type: 'progress', id,
 * done }`…, `{ type: 'result', id, data: Float32Array (texts × dimension) }` or `{ type: 'error', id, message }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadEmbeddingModel, type ModelLoadOptions } from './model-loader.js';

const port = parentPort!;
const loaded = await loadEmbeddingModel(workerData as ModelLoadOptions);
if (!loaded.ok) {
  port.postMessage({ type: 'failed', message: loaded.reason });
} else {
  const { embeddings, dimension } = loaded.model;
  port.postMessage({ type: 'ready', dimension });
  // One request at a time, in arrival order: the model is the bottleneck and two at once would only thrash.
  let queue = Promise.resolve();
  port.on('message', (request: { id: number; texts: string[] }) => {
    queue = queue.then(async () => {
      try {
        const vectors = await embeddings.embedDocuments(request.texts, (done) => port.postMessage({ type: 'progress', id: request.id, done }));
        const data = new Float32Array(vectors.length * dimension);
        vectors.forEach((vector, i) => data.set(vector, i * dimension));
        port.postMessage({ type: 'result', id: request.id, data }, [data.buffer]);
      } catch (error) {
        port.postMessage({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
}
