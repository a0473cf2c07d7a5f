/**
 * Load a transformers.js E5 model the way the product does (env.localModelPath, no remote models, mean pooling,
 * L2 normalisation, `query: ` / `passage: ` prefixes), with access to its tokenizer. Used by verify.ts and the
 * throughput bench; the product itself goes through src/ingest.
 */
import { resolve } from 'node:path';
import { env } from '@xenova/transformers';
import { createFeatureExtractor } from '../../src/ingest/onnx-pipeline.js';

export interface E5Handle {
  file: string;
  loadMs: number;
  tokenize(text: string): number[];
  normalize(text: string): string;
  embed(texts: string[], kind: 'query' | 'passage', batchSize?: number): Promise<Float32Array[]>;
}

interface Extractor {
  (texts: string[], options: { pooling: 'mean'; normalize: boolean }): Promise<{ data: Float32Array; dims: number[] }>;
  tokenizer: { encode(text: string): number[]; normalizer: { normalize(text: string): string } | null };
}

export async function loadE5(opts: { modelsDir: string; model: string; quantized: boolean }): Promise<E5Handle> {
  env.localModelPath = resolve(opts.modelsDir);
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.cacheDir = env.localModelPath;
  const t0 = performance.now();
  // The product's loader: onnxruntime reads the file itself (transformers.js' pipeline() passes it a buffer, which
  // cannot find a model's external data).
  const extractor = (await createFeatureExtractor({ modelId: opts.model, quantized: opts.quantized, cacheDir: env.localModelPath })) as unknown as Extractor;
  const loadMs = performance.now() - t0;
  return {
    file: opts.quantized ? 'model_quantized.onnx' : 'model.onnx',
    loadMs,
    tokenize: (text) => extractor.tokenizer.encode(text).map(Number),
    normalize: (text) => (extractor.tokenizer.normalizer ? extractor.tokenizer.normalizer.normalize(text) : text),
    async embed(texts, kind, batchSize = 16) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize).map((t) => `${kind}: ${t}`);
        const res = await extractor(batch, { pooling: 'mean', normalize: true });
        const dim = res.dims[res.dims.length - 1]!;
        for (let j = 0; j < batch.length; j++) out.push(res.data.slice(j * dim, (j + 1) * dim));
      }
      return out;
    },
  };
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return d / Math.sqrt(na * nb);
}
