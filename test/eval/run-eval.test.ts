import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalDataset, type EvalDataset } from '../../src/eval/dataset.js';
import { runEval } from '../../src/eval/run-eval.js';
import { loadEmbeddingModel, type LoadedModel } from '../../src/ingest/model-loader.js';
import { REPO_ROOT } from '../../bench/support/temp-project.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/eval/tiny');
let root: string;
let dataset: EvalDataset;
let model: LoadedModel;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'run-eval-'));
  dataset = await loadEvalDataset(FIXTURE, 'test');
  const texts = [readFileSync(path.join(FIXTURE, 'documents.jsonl'), 'utf8'), readFileSync(path.join(FIXTURE, 'queries_test.jsonl'), 'utf8')];
  writeTinyModel(path.join(root, 'models'), { vocabularyFrom: texts });
  const loaded = await loadEmbeddingModel({ modelId: 'Xenova/multilingual-e5-small', modelDir: path.join(root, 'models'), cacheDir: root, allowDownload: false });
  if (!loaded.ok) throw new Error(loaded.reason);
  model = loaded.model;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runEval with a model (tiny generated weights: the figures mean nothing, the path is what is tested)', () => {
  it('runs dense and hybrid through the product retriever, restricted to each query target language', async () => {
    for (const mode of ['dense', 'hybrid'] as const) {
      const result = await runEval({ dataset, mode, model });
      expect(result.mode).toBe(mode);
      expect(result.settings.model).toBe('Xenova/multilingual-e5-small');
      expect(result.stats.chunksEmbedded).toBe(result.stats.chunks);
      expect(result.runs).toHaveLength(3);
      for (const run of result.runs) {
        const target = dataset.queries.find((q) => q.id === run.queryId)!.targetLang!;
        expect(run.hits.length).toBeGreaterThan(0);
        expect(run.hits.every((hit) => hit.id.startsWith(`tiny-${target}-`))).toBe(true);
      }
      expect(Object.keys(result.groups)).toEqual(['en→zh first_sentence', 'en→zh full_abstract', 'zh→en first_sentence']);
    }
  });

  it('reuses the embedded index from the cache folder on the next run', async () => {
    const cacheDir = path.join(root, 'cache', 'tiny');
    const first = await runEval({ dataset, mode: 'dense', model, indexCacheDir: cacheDir });
    expect(first.stats.chunksEmbedded).toBe(first.stats.chunks);
    const second = await runEval({ dataset, mode: 'dense', model, indexCacheDir: cacheDir, limitQueries: 2 });
    expect(second.stats.chunksEmbedded).toBe(0);
    expect(second.runs).toHaveLength(2);
    expect(second.runs).toEqual(first.runs.slice(0, 2));
  });

  it('refuses dense without a model and retrieves 100 records for Recall@100 whatever the cutoff', async () => {
    await expect(runEval({ dataset, mode: 'dense' })).rejects.toThrow(/needs the embedding model/);
    const lexical = await runEval({ dataset, cutoff: 5 });
    expect(lexical.settings.depth).toBe(100);
    expect(lexical.cutoff).toBe(5);
  });
});
