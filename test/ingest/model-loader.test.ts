import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { env, pipeline } from '@xenova/transformers';
import { loadEmbeddingModel } from '../../src/ingest/model-loader.js';
import { createFeatureExtractor } from '../../src/ingest/onnx-pipeline.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';
import { externalizeLookupTables } from '../../scripts/model/bert-onnx.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('createFeatureExtractor', () => {
  it('gives the vectors of transformers.js pipeline() with its own session options (file path, 1 thread)', async () => {
    const models = path.join(root, 'parts-models');
    writeTinyModel(models, { vocabularyFrom: ['exhausted t cells express pd-1', 'car-t therapy relapse'], hiddenSize: 24 });
    env.localModelPath = models;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const reference = await pipeline('feature-extraction', 'Xenova/multilingual-e5-small', { quantized: true });
    const assembled = await createFeatureExtractor({ modelId: 'Xenova/multilingual-e5-small', quantized: true, cacheDir: path.join(root, 'cache'), threads: 1 });
    const texts = ['query: exhausted t cells', 'passage: car-t therapy relapse after pd-1 blockade'];
    const expected = (await reference(texts, { pooling: 'mean', normalize: true })).tolist() as number[][];
    const actual = (await assembled(texts, { pooling: 'mean', normalize: true })).tolist();
    expected.forEach((row, i) => row.forEach((x, j) => expect(actual[i]![j]).toBeCloseTo(x, 5)));
  });

  it('says what is missing when the model file is not there and downloads are off', async () => {
    env.localModelPath = path.join(root, 'empty');
    env.allowRemoteModels = false;
    await expect(createFeatureExtractor({ modelId: 'Xenova/none', quantized: true, cacheDir: path.join(root, 'cache') })).rejects.toThrow(/Xenova\/none|not found|local/i);
  });
});

describe('loadEmbeddingModel', () => {
  it('loads a model from MODEL_DIR through transformers.js and embeds normalised E5 vectors', async () => {
    writeTinyModel(path.join(root, 'models'), { vocabularyFrom: ['exhausted t cells express pd-1', 'car-t therapy relapse'], hiddenSize: 24 });
    const result = await loadEmbeddingModel({
      modelId: 'Xenova/multilingual-e5-small',
      modelDir: path.join(root, 'models'),
      cacheDir: path.join(root, 'cache'),
      allowDownload: false,
      batchSize: 2,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { embeddings, dimension } = result.model;
    expect(dimension).toBe(24);
    const vectors = await embeddings.embedDocuments(['exhausted t cells', 'car-t therapy', 'pd-1 relapse']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(embeddings.passagesEmbedded).toBe(3);
    // The prefixes are part of the text the model sees, so a query and the same text as a passage differ.
    const asQuery = await embeddings.embedQuery('exhausted t cells');
    expect(asQuery).not.toEqual(vectors[0]);
    // A repeated question is answered from memory, not the model.
    const queriesBefore = embeddings.queriesEmbedded;
    expect(await embeddings.embedQuery('exhausted t cells')).toEqual(asQuery);
    expect(embeddings.queriesEmbedded).toBe(queriesBefore);
    // Texts sharing words are closer than texts that share none.
    const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(dot(asQuery, vectors[0]!)).toBeGreaterThan(dot(asQuery, vectors[1]!));
  });

  it('loads a model whose lookup tables are external data (as scripts/fetch-model writes it), with the same vectors', async () => {
    const texts = ['exhausted t cells express pd-1', 'car-t therapy relapse'];
    const load = async (dir: string) => {
      const result = await loadEmbeddingModel({ modelId: 'Xenova/multilingual-e5-small', modelDir: dir, cacheDir: path.join(root, 'cache'), allowDownload: false });
      if (!result.ok) throw new Error(result.reason);
      return result.model.embeddings;
    };
    const inline = path.join(root, 'inline-tables');
    const external = path.join(root, 'external-tables');
    for (const dir of [inline, external]) writeTinyModel(dir, { vocabularyFrom: texts, hiddenSize: 24 });
    const onnxDir = path.join(external, 'Xenova/multilingual-e5-small/onnx');
    const file = path.join(onnxDir, 'model_quantized.onnx');
    const { model, data } = externalizeLookupTables(readFileSync(file), 'model_quantized.onnx_data', 0);
    writeFileSync(file, model);
    writeFileSync(path.join(onnxDir, 'model_quantized.onnx_data'), data);
    // Both Gather tables moved out, page-aligned: the model file shrank by at least the word table.
    expect(data.length).toBeGreaterThan(0);
    expect(readFileSync(file).length).toBeLessThan(statSync(path.join(inline, 'Xenova/multilingual-e5-small/onnx/model_quantized.onnx')).size - 24 * 4 * 10);
    const [expected, actual] = await Promise.all([load(inline).then((e) => e.embedDocuments(texts)), load(external).then((e) => e.embedDocuments(texts))]);
    expect(actual).toEqual(expected);
    // Without its data file the model does not load: the folder is incomplete, not silently different.
    rmSync(path.join(onnxDir, 'model_quantized.onnx_data'));
    await expect(load(external)).rejects.toThrow();
  });

  it('explains a missing model and how to provide it instead of throwing', async () => {
    const result = await loadEmbeddingModel({
      modelId: 'Xenova/multilingual-e5-small',
      modelDir: path.join(root, 'nowhere'),
      cacheDir: path.join(root, 'cache'),
      allowDownload: false,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toContain('not found under MODEL_DIR');
    expect(result.reason).toContain('scripts/fetch-model');
  });

  it('names the missing files of an incomplete model folder', async () => {
    const dir = writeTinyModel(path.join(root, 'broken'), { vocabularyFrom: ['x'] });
    rmSync(path.join(dir, 'tokenizer_config.json'));
    const result = await loadEmbeddingModel({
      modelId: 'Xenova/multilingual-e5-small',
      modelDir: path.join(root, 'broken'),
      cacheDir: path.join(root, 'cache'),
      allowDownload: false,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/incomplete: missing tokenizer_config\.json\./);
  });
});
