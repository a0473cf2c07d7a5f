import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSearchIndex } from '../../src/ingest/index-store.js';
import { loadEmbeddingModel, modelLoadOptions } from '../../src/ingest/model-loader.js';
import { VectorCache } from '../../src/ingest/vector-cache.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../../bench/support/temp-project.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';

// kill -9 in the middle of `npm run ingest`: the last good index survives, and the restart embeds only what the
// killed run had not checkpointed yet.
const WORDS = 'cell tumor immune therapy receptor antigen signal protein gene expression patient trial dose response lung breast liver kidney brain blood marker pathway inhibitor mutation cancer virus vaccine antibody cytokine'.split(' ');
const TOTAL = 1500;
const FIRST = 100;
let project: TempProject;
let env: NodeJS.ProcessEnv;

function records(from: number, to: number): string {
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const lines: string[] = [];
  for (let i = 0; i < to; i++) {
    const words = Array.from({ length: 40 }, () => WORDS[Math.floor(random() * WORDS.length)]);
    if (i >= from) lines.push(JSON.stringify({ id: `r${i}`, title: `Study ${i} of ${words[0]} ${words[1]}`, abstract: `${words.join(' ')} number ${i}.` }));
  }
  return `${lines.join('\n')}\n`;
}

function ingest(): { done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>; kill(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ingest.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, output })),
  );
  return { done, kill: () => child.kill('SIGKILL') };
}

beforeAll(() => {
  project = createTempProject({ corpusFiles: [], withModel: false });
  const corpusFile = path.join(project.corpusDir, 'many.jsonl');
  writeFileSync(corpusFile, records(0, FIRST));
  // The tiny model's vocabulary: every word the records use.
  writeFileSync(path.join(project.root, 'vocabulary.txt'), `${WORDS.join(' ')} study of number ${Array.from({ length: TOTAL }, (_, i) => i).join(' ')}`);
  env = {
    ...process.env,
    CORPUS_DIR: project.corpusDir,
    INDEX_DIR: path.join(project.root, 'index'),
    MODEL_DIR: path.join(project.root, 'models'),
    MODEL_CACHE_DIR: path.join(project.root, 'cache'),
    VECTOR_CACHE_DIR: path.join(project.root, 'vectors'),
    ALLOW_MODEL_DOWNLOAD: 'false',
    EMBEDDING_BATCH_SIZE: '1',
    LOG_LEVEL: 'info',
  };
});
afterAll(() => project.cleanup());

describe('a build killed with SIGKILL resumes', () => {
  it('keeps the last good index, and the restart embeds only what was not checkpointed', async () => {
    writeTinyModel(env.MODEL_DIR!, { vocabularyFrom: [readFileSync(path.join(project.root, 'vocabulary.txt'), 'utf8')] });
    const first = await ingest().done;
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(new RegExp(`index: ${FIRST} records`));

    writeFileSync(path.join(project.corpusDir, 'many.jsonl'), records(0, TOTAL));
    const loaded = await loadEmbeddingModel({ ...modelLoadOptions(project.config), modelDir: env.MODEL_DIR });
    if (!loaded.ok) throw new Error(loaded.reason);
    const cacheFile = VectorCache.fileFor(env.VECTOR_CACHE_DIR!, { modelId: loaded.model.modelId, dimension: loaded.model.dimension });
    const entryBytes = 32 + loaded.model.dimension * 4;
    const entries = () => (existsSync(cacheFile) ? Math.floor((statSync(cacheFile).size - 256) / entryBytes) : 0);
    const before = entries();
    // One chunk and one sentence vector per record (each abstract is one sentence).
    expect(before).toBe(2 * FIRST);

    const run = ingest();
    let killed = false;
    const watch = setInterval(() => {
      if (!killed && entries() >= before + 128) {
        killed = true;
        run.kill();
      }
    }, 5);
    const second = await run.done;
    clearInterval(watch);
    expect(second.signal, `the build finished before it could be killed:\n${second.output}`).toBe('SIGKILL');
    const kept = entries() - before;
    expect(kept).toBeGreaterThanOrEqual(128);
    expect(kept).toBeLessThan(TOTAL - FIRST);

    // The last good index is untouched.
    const survivor = await loadSearchIndex(env.INDEX_DIR!, { embeddings: loaded.model.embeddings, ef: 50 });
    expect(survivor!.records.length).toBe(FIRST);
    expect(survivor!.dense!.index.getCurrentCount()).toBe(FIRST);

    const third = await ingest().done;
    expect(third.code, third.output).toBe(0);
    const summary = /index: (\d+) records, (\d+) chunks, (\d+) new\/changed, (\d+) embedded, (\d+) from the vector cache/.exec(third.output);
    expect(summary, third.output).not.toBeNull();
    const [, recordCount, chunks, , embedded, fromCache] = summary!.map(Number);
    expect(recordCount).toBe(TOTAL);
    expect(fromCache).toBe(kept);
    expect(embedded).toBe(TOTAL - FIRST - kept);
    expect(embedded! + fromCache!).toBe(chunks! - FIRST);
    // The first records' sentence vectors come from the last good index; the new records' are made once.
    expect(third.output).toMatch(new RegExp(`${TOTAL - FIRST} sentences embedded`));

    const complete = await loadSearchIndex(env.INDEX_DIR!, { embeddings: loaded.model.embeddings, ef: 50 });
    expect(complete!.records.length).toBe(TOTAL);
    expect(complete!.dense!.index.getCurrentCount()).toBe(complete!.chunks.length);
    // Three ingest processes: minutes on a busy 2-core machine (nothing here asserts on time).
  }, 600_000);
});
