import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbeddingModel, type LoadedModel, type ModelLoadOptions } from '../../src/ingest/model-loader.js';
import { SessionThreadError, startSessionThread } from '../../src/ingest/session-thread.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-session-thread-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const TEXTS = ['exhausted t cells express pd-1', 'relapse after car-t therapy in chronic infection', 'cells'];
const load: ModelLoadOptions = { modelId: 'Xenova/multilingual-e5-small', modelDir: path.join(root, 'models'), cacheDir: path.join(root, 'cache'), allowDownload: false, threads: 1 };
let onMain: LoadedModel;
let offMain: LoadedModel;

beforeAll(async () => {
  writeTinyModel(path.join(root, 'models'), { vocabularyFrom: TEXTS, hiddenSize: 24 });
  const [a, b] = await Promise.all([loadEmbeddingModel(load), loadEmbeddingModel({ ...load, offMainThread: true })]);
  if (!a.ok || !b.ok) throw new Error('tiny model did not load');
  [onMain, offMain] = [a.model, b.model];
});

describe('the server model in its own thread (real loader, tiny model)', () => {
  it('gives the vectors the main thread gives, for questions, passages and many runs at once', async () => {
    const close = (a: number[], b: number[]) => a.forEach((x, k) => expect(x).toBeCloseTo(b[k]!, 6));
    close(await offMain.embeddings.embedQuery(TEXTS[0]!), await onMain.embeddings.embedQuery(TEXTS[0]!));
    const [threaded, direct] = await Promise.all([offMain.embeddings.embedDocuments(TEXTS), onMain.embeddings.embedDocuments(TEXTS)]);
    threaded.forEach((v, i) => close(v, direct[i]!));
    const concurrent = await Promise.all(TEXTS.map((t) => offMain.embeddings.embedQuery(`${t} again`)));
    for (const [i, t] of TEXTS.entries()) close(concurrent[i]!, await onMain.embeddings.embedQuery(`${t} again`));
  });

  it('refuses a file onnxruntime cannot read, with a named error', async () => {
    const broken = path.join(root, 'broken.onnx');
    writeFileSync(broken, 'not a model');
    await expect(startSessionThread(broken)).rejects.toBeInstanceOf(SessionThreadError);
  });
});
