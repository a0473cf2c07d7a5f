import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VectorCache, VectorCacheError } from '../../src/ingest/vector-cache.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vector-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = { modelId: 'Xenova/multilingual-e5-small', dimension: 3 };

describe('VectorCache', () => {
  it('keeps vectors across reopen, keyed by exact text, and skips texts it already has', async () => {
    const cache = await VectorCache.open(dir, key);
    await cache.append([
      { text: 'alpha', vector: [1, 2, 3] },
      { text: 'beta', vector: [0.5, -0.25, 0.125] },
    ]);
    await cache.append([{ text: 'alpha', vector: [9, 9, 9] }]);
    await cache.close();
    const size = statSync(cache.file).size;

    const reopened = await VectorCache.open(dir, key);
    expect(reopened.count).toBe(2);
    expect(reopened.get('alpha')).toEqual([1, 2, 3]);
    expect(reopened.get('beta')).toEqual([0.5, -0.25, 0.125]);
    expect(reopened.get('alpha ')).toBeUndefined();
    expect(statSync(reopened.file).size).toBe(size);
    await reopened.close();
  });

  it('cuts off a torn last write and keeps every whole entry before it', async () => {
    const file = VectorCache.fileFor(dir, key);
    const whole = statSync(file).size;
    appendFileSync(file, Buffer.alloc(20, 7)); // a crash mid-append: 20 of an entry's 44 bytes
    const cache = await VectorCache.open(dir, key);
    expect(cache.count).toBe(2);
    expect(statSync(file).size).toBe(whole);
    await cache.append([{ text: 'gamma', vector: [3, 2, 1] }]);
    await cache.close();
    const again = await VectorCache.open(dir, key);
    expect(again.get('gamma')).toEqual([3, 2, 1]);
    expect(again.get('alpha')).toEqual([1, 2, 3]);
    await again.close();
  });

  it('keeps each model and width in its own file, and refuses a foreign file', async () => {
    const other = await VectorCache.open(dir, { modelId: 'other/model', dimension: 3 });
    expect(other.count).toBe(0);
    await expect(other.append([{ text: 'alpha', vector: [1, 2] }])).rejects.toThrow(VectorCacheError);
    await other.close();
    writeFileSync(VectorCache.fileFor(dir, { modelId: 'x/y', dimension: 3 }), Buffer.alloc(300, 1));
    await expect(VectorCache.open(dir, { modelId: 'x/y', dimension: 3 })).rejects.toThrow(/is not a vector cache/);
  });
});
