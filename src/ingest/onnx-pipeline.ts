/**
 * A transformers.js feature-extraction pipeline assembled from its parts, so that the onnxruntime session is made
 * the way a long-running server needs: transformers.js 2.17's `pipeline()` reads the whole .onnx file into a
 * JavaScript buffer that stays alive next to the session (+124 MB for the int8 e5-small) and passes onnxruntime no
 * session options (the server's question model wants one thread, see QUERY_EMBED_THREADS).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AutoConfig, AutoModel, FeatureExtractionPipeline, PreTrainedModel } from '@xenova/transformers';
// transformers.js's own onnxruntime module: its Tensor class is the one the models check inputs against.
import { ONNX } from '@xenova/transformers/src/backends/onnx.js';
import { getModelFile } from '@xenova/transformers/src/utils/hub.js';
import type { FeatureExtractor } from './embeddings.js';
import { loadLeanTokenizer } from './lean-tokenizer.js';
import { startSessionThread } from './session-thread.js';

/** Inputs of {@link createFeatureExtractor}. `env.localModelPath` and `env.cacheDir` must already be set. */
export interface FeatureExtractorOptions {
  modelId: string;
  /** Use `onnx/model_quantized.onnx` rather than `onnx/model.onnx`. */
  quantized: boolean;
  /** Where transformers.js caches downloaded files (`env.cacheDir`). */
  cacheDir: string;
  /** onnxruntime intra-op threads; 0 or unset lets onnxruntime choose. */
  threads?: number;
  /** Run the session in its own worker thread (see `startSessionThread`). @default false */
  offMainThread?: boolean;
  progress_callback?: (event: { status: string; file?: string; progress?: number }) => void;
}

/**
 * Loads tokenizer, config and ONNX model (downloading what is missing when transformers.js' `env` allows it) and
 * returns the same pipeline object `pipeline('feature-extraction', …)` would, with a session created from the file
 * path, the given thread count, and a lean tokenizer (see `loadLeanTokenizer`).
 * @example
 * const extractor = await createFeatureExtractor({ modelId: 'Xenova/multilingual-e5-small', quantized: true, cacheDir });
 */
export async function createFeatureExtractor(options: FeatureExtractorOptions): Promise<FeatureExtractor> {
  const { modelId, progress_callback } = options;
  const tokenizer = await loadLeanTokenizer(modelId, { progress_callback });
  const config = await AutoConfig.from_pretrained(modelId, { progress_callback });
  const file = await modelFile(options);
  // onnxruntime's CPU arena stays on (its default): it keeps the largest batch's buffers, so passages, in large
  // batches, are embedded in processes that end with the build, and the server's model only sees questions.
  const session = options.offMainThread
    ? await startSessionThread(file, { threads: options.threads })
    : await ONNX.InferenceSession.create(file, { executionProviders: ['cpu'], ...(options.threads ? { intraOpNumThreads: options.threads } : {}) });
  const model = modelFor(config, session);
  return new FeatureExtractionPipeline({ task: 'feature-extraction', model, tokenizer }) as unknown as FeatureExtractor;
}

// The file onnxruntime reads: the local copy, else transformers.js' download cache (filled first when allowed).
async function modelFile(options: FeatureExtractorOptions): Promise<string> {
  const name = `onnx/model${options.quantized ? '_quantized' : ''}.onnx`;
  const { env } = await import('@xenova/transformers');
  const candidates = [env.localModelPath, options.cacheDir].map((dir) => path.join(dir, options.modelId, name));
  const found = candidates.find((file) => existsSync(file));
  if (found) return found;
  // Downloads into the cache (the buffer it also returns is let go); throws "not found locally" when offline.
  await getModelFile(options.modelId, name, true, { progress_callback: options.progress_callback });
  const cached = candidates[1]!;
  if (!existsSync(cached)) throw new Error(`${name} of ${options.modelId} was fetched but is not in the cache folder ${options.cacheDir}`);
  return cached;
}

// The model class transformers.js' AutoModel would pick for this config (the base class when it knows none).
function modelFor(config: unknown, session: unknown): PreTrainedModel {
  const type = (config as { model_type?: string }).model_type;
  const mappings = (AutoModel as unknown as { MODEL_CLASS_MAPPINGS: Array<Map<string, [string, new (c: unknown, s: unknown) => PreTrainedModel]>> }).MODEL_CLASS_MAPPINGS;
  for (const mapping of mappings) {
    const info = type ? mapping.get(type) : undefined;
    if (info) return new info[1](config, session);
  }
  return new PreTrainedModel(config as never, session);
}
