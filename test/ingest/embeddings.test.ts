import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { env, pipeline } from '@xenova/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { E5Embeddings, lengthSortedBatches, type FeatureExtractor } from '../../src/ingest/embeddings.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-embeddings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TEXTS = [
  'exhausted t cells express pd-1 and lose function in chronic infection over many weeks',
  'car-t',
  'pd-1 relapse after car-t therapy',
  'cells',
  'exhausted t cells express pd-1',
  'relapse after therapy in chronic infection',
  't',
];

async function tinyExtractor(): Promise<FeatureExtractor> {
  writeTinyModel(path.join(root, 'models'), { vocabularyFrom: TEXTS, hiddenSize: 24 });
  env.localModelPath = path.join(root, 'models');
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  return (await pipeline('feature-extraction', 'Xenova/multilingual-e5-small', { quantized: true })) as unknown as FeatureExtractor;
}

describe('lengthSortedBatches', () => {
  it('groups indices shortest first, keeps ties in input order, and covers every index once', () => {
    expect(lengthSortedBatches([5, 1, 3, 1, 9], 2)).toEqual([[1, 3], [2, 0], [4]]);
    expect(lengthSortedBatches([], 4)).toEqual([]);
    expect(() => lengthSortedBatches([1], 0)).toThrow(/at least 1/);
  });
});

describe('E5Embeddings.embedDocuments (length-sorted batches through the real loader)', () => {
  it('returns, in input order, the vectors each passage gets when embedded alone', async () => {
    const extractor = await tinyExtractor();
    const embeddings = new E5Embeddings(extractor, { batchSize: 3, maxRetries: 0 });
    const progress: number[] = [];
    const vectors = await embeddings.embedDocuments(TEXTS, (done) => progress.push(done));
    expect(vectors).toHaveLength(TEXTS.length);
    for (const [i, text] of TEXTS.entries()) {
      const alone = (await extractor([`passage: ${text}`], { pooling: 'mean', normalize: true })).tolist()[0]!;
      expect(vectors[i]!.length).toBe(alone.length);
      // Padding inside a batch must not change a passage's vector.
      for (let d = 0; d < alone.length; d++) expect(vectors[i]![d]!).toBeCloseTo(alone[d]!, 5);
    }
    expect(progress).toEqual([3, 6, 7]);
    expect(embeddings.passagesEmbedded).toBe(TEXTS.length);
  });

  it('without the pipeline tokenizer it still restores input order (batches by character length)', async () => {
    const full = await tinyExtractor();
    const calls: string[][] = [];
    const bare: FeatureExtractor = async (texts, options) => {
      calls.push(texts);
      return full(texts, options);
    };
    const embeddings = new E5Embeddings(bare, { batchSize: 2, maxRetries: 0 });
    const vectors = await embeddings.embedDocuments(TEXTS);
    const sorted = await new E5Embeddings(full, { batchSize: 2, maxRetries: 0 }).embedDocuments(TEXTS);
    expect(calls[0]).toEqual(['passage: t', 'passage: car-t']);
    for (let i = 0; i < TEXTS.length; i++) for (let d = 0; d < sorted[i]!.length; d++) expect(vectors[i]![d]!).toBeCloseTo(sorted[i]![d]!, 5);
  });
});
