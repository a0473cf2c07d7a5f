/**
 * Child-process entry of {@link EmbedderPool}: loads the embedding model named in its first argument (JSON
 * {@link ModelLoadOptions}) and embeds passages on request. A process, not a worker thread: it can be niced below
 * the server, killed at any moment without taking the server down, and gives its memory back when it ends.
 *
 * Messages in: `{ id, texts }`. Out: `{ type: 'ready', dimension }` once (or `{ type: 'failed', message }`), then
 * per request `{ type: 'progress', id, done }`…, `{ type: 'result', id, data: Float32Array }` or `{ type: 'error', id, message }`.
 */
import { loadEmbeddingModel, type LoadedModel, type ModelLoadOptions } from './model-loader.js';

const send = (message: unknown) => process.send?.(message);
// The parent is gone (ended, or killed -9): its build is over, so this process is too.
process.on('disconnect', () => process.exit(0));

const model: Promise<LoadedModel> = loadEmbeddingModel(JSON.parse(process.argv[2] ?? '{}') as ModelLoadOptions).then((loaded) => {
  if (loaded.ok) {
    send({ type: 'ready', dimension: loaded.model.dimension });
    return loaded.model;
  }
  send({ type: 'failed', message: loaded.reason });
  return process.exit(1);
});

// Requests can arrive while the model loads; they run in arrival order, one at a time (the model is the bottleneck).
let queue = Promise.resolve();
process.on('message', (request: { id: number; texts: string[] }) => {
  queue = queue.then(async () => {
    const { embeddings, dimension } = await model;
    try {
      const vectors = await embeddings.embedDocuments(request.texts, (done) => send({ type: 'progress', id: request.id, done }));
      const data = new Float32Array(vectors.length * dimension);
      vectors.forEach((vector, i) => data.set(vector, i * dimension));
      send({ type: 'result', id: request.id, data });
    } catch (error) {
      send({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
});
