/**
 * A persistent cache of passage vectors keyed by model + the exact text embedded, so a chunk whose text did not
 * change is never embedded twice — across rebuilds, crashes (kill -9) and backends (HNSW on disk, OpenSearch).
 *
 * One append-only file per model and width: `<dir>/<model-id-with-slashes-as-__>.<dimension>d.vec`, a fixed
 * header then fixed-size entries `[sha256(text): 32 bytes][float32 × dimension]`. Each {@link VectorCache.append}
 * writes its entries with one write and fsyncs, so every batch the model finished survives a crash. A torn last
 * write (crash mid-append) leaves a partial entry, which {@link VectorCache.open} cuts off: everything before it
 * is whole because entries have a fixed size.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const MAGIC = 'AQAVEC01';
const KEY_BYTES = 32;

/** Identifies the vectors a cache holds: vectors from another model or width are never mixed in. */
export interface VectorCacheKey {
  /** Model id, e.g. `Xenova/multilingual-e5-small`. */
  modelId: string;
  dimension: number;
}

/** Thrown when a cache file is not one this code wrote (wrong magic, model or width). */
export class VectorCacheError extends Error {
  override name = 'VectorCacheError';
}

/** Hash under which a text's vector is stored (hex sha256 of the UTF-8 text). */
export function vectorKey(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The cache of one model's vectors, loaded in memory (384 floats ≈ 1.5 KB per chunk) and appended to on disk.
 * @example
 * const cache = await VectorCache.open('.cache/vectors', { modelId: 'Xenova/multilingual-e5-small', dimension: 384 });
 * const missing = texts.filter((t) => !cache.has(t));
 * await cache.append(missing.map((text, i) => ({ text, vector: vectors[i] })));
 * await cache.close();
 */
export class VectorCache {
  private readonly vectors = new Map<string, Float32Array>();
  private writes: Promise<void> = Promise.resolve();
  private constructor(
    readonly file: string,
    readonly key: VectorCacheKey,
    private handle: FileHandle | undefined,
    private size: number,
  ) {}

  /** File that holds the vectors of `key` under `dir`. */
  static fileFor(dir: string, key: VectorCacheKey): string {
    return path.join(dir, `${key.modelId.replace(/[^A-Za-z0-9._-]+/g, '__')}.${key.dimension}d.vec`);
  }

  /** Opens (creating when absent) the cache file of `key` under `dir` and loads its whole entries. */
  static async open(dir: string, key: VectorCacheKey): Promise<VectorCache> {
    mkdirSync(dir, { recursive: true });
    const file = VectorCache.fileFor(dir, key);
    const handle = await open(file, 'a+');
    try {
      const header = headerBytes(key);
      const { size } = await handle.stat();
      const cache = new VectorCache(file, key, handle, size);
      if (size < header.length) {
        // New file, or a crash while writing the header: start it again.
        await handle.truncate(0);
        await handle.write(header, 0, header.length, 0);
        await handle.sync();
        cache.size = header.length;
        return cache;
      }
      const data = Buffer.alloc(size);
      await handle.read(data, 0, size, 0);
      if (!data.subarray(0, header.length).equals(header)) {
        throw new VectorCacheError(`${file} is not a vector cache of ${key.modelId} (${key.dimension}-d); delete it to start over`);
      }
      const entry = KEY_BYTES + key.dimension * 4;
      const whole = header.length + Math.floor((size - header.length) / entry) * entry;
      for (let at = header.length; at < whole; at += entry) {
        const hash = data.toString('hex', at, at + KEY_BYTES);
        const floats = new Float32Array(key.dimension);
        Buffer.from(floats.buffer).set(data.subarray(at + KEY_BYTES, at + entry));
        cache.vectors.set(hash, floats);
      }
      if (whole < size) {
        await handle.truncate(whole); // the torn tail of an append a crash interrupted
        await handle.sync();
        cache.size = whole;
      }
      return cache;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Number of vectors held. */
  get count(): number {
    return this.vectors.size;
  }

  has(text: string): boolean {
    return this.vectors.has(vectorKey(text));
  }

  /** The vector stored for exactly this text, or undefined. */
  get(text: string): number[] | undefined {
    const floats = this.vectors.get(vectorKey(text));
    return floats ? Array.from(floats) : undefined;
  }

  /**
   * Adds vectors and makes them durable (one write + fsync) before resolving. Texts already held are skipped.
   * Appends made at once (parallel embedding lanes) are written one after another.
   */
  append(entries: Array<{ text: string; vector: ArrayLike<number> }>): Promise<void> {
    const written = this.writes.then(() => this.write(entries));
    this.writes = written.catch(() => undefined);
    return written;
  }

  // Each write goes at the file's current end, which the previous write moves.
  private async write(entries: Array<{ text: string; vector: ArrayLike<number> }>): Promise<void> {
    if (!this.handle) throw new VectorCacheError(`vector cache ${this.file} is closed`);
    const entryBytes = KEY_BYTES + this.key.dimension * 4;
    const fresh = new Map<string, ArrayLike<number>>();
    for (const { text, vector } of entries) {
      if (vector.length !== this.key.dimension) {
        throw new VectorCacheError(`vector of length ${vector.length} does not fit the ${this.key.dimension}-d cache ${this.file}`);
      }
      const hash = vectorKey(text);
      if (!this.vectors.has(hash)) fresh.set(hash, vector);
    }
    if (fresh.size === 0) return;
    const buffer = Buffer.alloc(fresh.size * entryBytes);
    let at = 0;
    for (const [hash, vector] of fresh) {
      buffer.write(hash, at, 'hex');
      const floats = Float32Array.from(vector);
      buffer.set(new Uint8Array(floats.buffer), at + KEY_BYTES);
      at += entryBytes;
    }
    await this.handle.write(buffer, 0, buffer.length, this.size);
    await this.handle.sync();
    this.size += buffer.length;
    for (const [hash, vector] of fresh) this.vectors.set(hash, Float32Array.from(vector));
  }

  /** Closes the file; the vectors stay readable in memory. */
  async close(): Promise<void> {
    await this.writes;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}

function headerBytes(key: VectorCacheKey): Buffer {
  // Fixed 256-byte header: magic, width and model id, so a file renamed by hand is still recognised as foreign.
  const header = Buffer.alloc(256);
  header.write(`${MAGIC}\n${key.dimension}\n${key.modelId}\n`, 0, 'utf8');
  return header;
}
