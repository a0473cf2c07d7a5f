import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedPassages } from '../../src/ingest/embed-passages.js';
import { EmbedderPool, EmbedWorkerError } from '../../src/ingest/embedder-pool.js';
import { loadEmbeddingModel, type LoadedModel, type ModelLoadOptions } from '../../src/ingest/model-loader.js';
import { VectorCache } from '../../src/ingest/vector-cache.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-pool-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TEXTS = Array.from({ length: 70 }, (_, i) =>
  [`passage ${i} about exhausted t cells`, 'pd-1 relapse after car-t therapy', 'chronic infection'].slice(0, 1 + (i % 3)).join(' and '),
);
const load: ModelLoadOptions = { modelId: 'Xenova/multilingual-e5-small', modelDir: path.join(root, 'models'), cacheDir: path.join(root, 'cache'), allowDownload: false, batchSize: 4 };
let inProcess: LoadedModel;

beforeAll(async () => {
  writeTinyModel(path.join(root, 'models'), { vocabularyFrom: TEXTS, hiddenSize: 24 });
  const loaded = await loadEmbeddingModel(load);
  if (!loaded.ok) throw new Error(loaded.reason);
  inProcess = loaded.model;
});

// Child processes of this test process whose command line names the pool's entry.
function embeddingChildren(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).trim();
  return out ? out.split('\n').filter((line) => line.includes('embed-child')).map((line) => Number(line.trim().split(/\s+/)[0])) : [];
}

describe('EmbedderPool (child processes with the real loader and the tiny model)', () => {
  it('embeds in two niced processes, side by side, the same vectors as the main thread, and checkpoints every text once', async () => {
    const pool = await EmbedderPool.start({ ...load, processes: 2 });
    try {
      expect(pool.parallelism).toBe(2);
      const children = embeddingChildren();
      expect(children).toHaveLength(2);
      for (const pid of children) expect(os.getPriority(pid)).toBeGreaterThanOrEqual(10);

      const cache = await VectorCache.open(path.join(root, 'vectors'), { modelId: load.modelId, dimension: pool.dimension });
      const progress: number[] = [];
      const made = await embedPassages({ texts: TEXTS, embedder: pool, cache, checkpointEvery: 8, onProgress: (done) => progress.push(done) });
      await cache.close();
      expect(made.embedded).toBe(new Set(TEXTS).size);
      expect(progress.at(-1)).toBe(new Set(TEXTS).size);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));

      const expected = await inProcess.embeddings.embedDocuments(TEXTS);
      made.vectors.forEach((vector, i) => vector.forEach((x, k) => expect(x).toBeCloseTo(expected[i]![k]!, 5)));
      // Lanes appended at once: the cache file must still hold every vector, readable and exact.
      const reopened = await VectorCache.open(path.join(root, 'vectors'), { modelId: load.modelId, dimension: pool.dimension });
      expect(reopened.count).toBe(new Set(TEXTS).size);
      TEXTS.forEach((text, i) => reopened.get(text)!.forEach((x, k) => expect(x).toBeCloseTo(made.vectors[i]![k]!, 6)));
      await reopened.close();
    } finally {
      await pool.close();
    }
    expect(embeddingChildren()).toHaveLength(0);
  });

  it('fails the requests of a process that dies with a named error, and fails later ones at once', async () => {
    const pool = await EmbedderPool.start({ ...load, processes: 1 });
    try {
      const pending = pool.embedDocuments(Array.from({ length: 400 }, (_, i) => `${TEXTS[i % TEXTS.length]} ${i}`));
      process.kill(embeddingChildren()[0]!, 'SIGKILL');
      await expect(pending).rejects.toBeInstanceOf(EmbedWorkerError);
      await expect(pool.embedDocuments(['again'])).rejects.toThrow(/embedding process exited \(SIGKILL\)/);
    } finally {
      await pool.close();
    }
  });

  it('refuses to start, naming why, when the model is not there', async () => {
    await expect(EmbedderPool.start({ ...load, modelDir: path.join(root, 'nowhere'), processes: 1 })).rejects.toThrow(/not found under MODEL_DIR/);
    expect(embeddingChildren()).toHaveLength(0);
  });

  it('ends its processes when the process that started them is killed -9', async () => {
    // A parent killed -9 cannot stop its children: they notice the closed channel and exit by themselves.
    const script = `
      import { EmbedderPool } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../src/ingest/embedder-pool.ts'))};
      await EmbedderPool.start(${JSON.stringify({ ...load, processes: 1 })});
      console.log('ready');
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      parent.stdout.on('data', (data: Buffer) => data.toString().includes('ready') && resolve());
      parent.once('exit', (code) => reject(new Error(`parent exited (code ${code}) before its pool was ready`)));
    });
    const child = Number(execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent.pid)], { encoding: 'utf8' }).trim().split('\n')[0]);
    expect(isAlive(child)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && isAlive(child)) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isAlive(child)).toBe(false);
  });
});

// Running, not ended: a process reparented after its parent died may stay a zombie until init reaps it.
function isAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}
