/**
 * Sentence vectors made at index time for the semantic evidence step (src/answer/semantic-evidence.ts), so a
 * question never pays for embedding the sentences of the abstracts it retrieved (~0.3–0.5 s of CPU per abstract with
 * multilingual-e5-small, against ~12 ms for the question itself).
 *
 * Two files in the index folder: `sentences.json` (model, width, cut length, and per abstract where its vectors
 * start and how many there are) and `sentences.f32` (the vectors, float32 little-endian, back to back). Served
 * indexes read the vectors of the few abstracts a question needs from disk, so they cost no memory.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, read } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AbstractRecord } from '../corpus/record.js';
import { splitSentences } from '../text/sentences.js';
import { INDEX_DEFAULTS } from './index-defaults.js';

/** The files sentence vectors occupy in an index folder. */
export const SENTENCE_FILES = { table: 'sentences.json', vectors: 'sentences.f32' } as const;
const readAt = promisify(read);

/** What sentence vectors are valid for: vectors of another model, width or cut are never used. */
export interface SentenceVectorSettings {
  modelId: string;
  dimension: number;
  /** Characters of a sentence that are embedded. */
  maxChars: number;
}

/**
 * The sentences of an abstract exactly as the semantic evidence step embeds them, in {@link splitSentences} order:
 * each cut to `maxChars` (a run-on "sentence", a table flattened into text, would otherwise cost a whole abstract).
 * @example
 * sentenceTexts('Aspirin lowers fever. It also thins blood.') // ['Aspirin lowers fever.', 'It also thins blood.']
 */
export function sentenceTexts(abstract: string, maxChars: number = INDEX_DEFAULTS.sentenceMaxChars): string[] {
  return splitSentences(abstract).map((sentence) => sentence.text.slice(0, maxChars));
}

/** Names an abstract's text: its id and a hash of the abstract, so vectors are never served for an edited text. */
export function abstractKey(record: Pick<AbstractRecord, 'id' | 'abstract'>): string {
  return `${record.id}\u0000${createHash('sha1').update(record.abstract).digest('hex').slice(0, 16)}`;
}

/**
 * An abstract's sentence vectors as base64 of their float32 little-endian values: how a cluster's records index
 * stores them (about 2 KB per sentence).
 * @example decodeSentenceVectors(encodeSentenceVectors(vectors), 384) // the vectors, rounded to float32
 */
export function encodeSentenceVectors(vectors: ArrayLike<number>[]): string {
  return float32Bytes(vectors, vectors[0]?.length ?? 0).toString('base64');
}

/** Reads what {@link encodeSentenceVectors} wrote; throws when it is not a whole number of `dimension`-wide vectors. */
export function decodeSentenceVectors(encoded: string, dimension: number): number[][] {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length % (dimension * 4) !== 0) throw new Error(`${bytes.length} bytes are not ${dimension}-d float32 vectors`);
  return vectorsFromBytes(bytes, dimension);
}

// Vectors as float32 little-endian values back to back: the one byte layout of the index file and the cluster field.
function float32Bytes(vectors: ArrayLike<number>[], dimension: number): Buffer {
  const bytes = Buffer.alloc(vectors.length * dimension * 4);
  vectors.forEach((vector, i) => {
    if (vector.length !== dimension) throw new Error(`sentence vectors of mixed widths (${vector.length} and ${dimension})`);
    for (let j = 0; j < dimension; j++) bytes.writeFloatLE(vector[j]!, (i * dimension + j) * 4);
  });
  return bytes;
}

function vectorsFromBytes(bytes: Buffer, dimension: number): number[][] {
  const width = dimension * 4;
  return Array.from({ length: Math.floor(bytes.length / width) }, (_, i) => Array.from({ length: dimension }, (_, j) => bytes.readFloatLE(i * width + j * 4)));
}

/** Sentence vectors by abstract: what the answer step asks before embedding sentences itself. */
export interface SentenceVectorSource {
  readonly settings: SentenceVectorSettings;
  /** The vectors of {@link sentenceTexts} of this abstract, in order, or undefined when they are not held. */
  vectorsOf(record: Pick<AbstractRecord, 'id' | 'abstract'>): Promise<number[][] | undefined>;
}

/** Sentence vectors held in memory (as float32): what a build makes, before {@link saveSentenceVectors} writes them. */
export class SentenceVectorMap implements SentenceVectorSource {
  private readonly byKey = new Map<string, Float32Array[]>();

  constructor(readonly settings: SentenceVectorSettings) {}

  /** Holds the vectors of an abstract's {@link sentenceTexts}. */
  set(record: Pick<AbstractRecord, 'id' | 'abstract'>, vectors: ArrayLike<number>[]): void {
    this.byKey.set(abstractKey(record), vectors.map((vector) => Float32Array.from(vector)));
  }

  /** Sentence vectors held. */
  get count(): number {
    let count = 0;
    for (const list of this.byKey.values()) count += list.length;
    return count;
  }

  async vectorsOf(record: Pick<AbstractRecord, 'id' | 'abstract'>): Promise<number[][] | undefined> {
    return this.byKey.get(abstractKey(record))?.map((vector) => Array.from(vector));
  }
}

interface SentenceTable extends SentenceVectorSettings {
  /** Abstract key → [first vector, vector count]. */
  records: Record<string, [number, number]>;
}

/** Writes the sentence vectors of `records` from `source` into `dir` (the build's temporary index folder). */
export async function saveSentenceVectors(dir: string, records: readonly AbstractRecord[], source: SentenceVectorSource): Promise<void> {
  const { dimension } = source.settings;
  const table: SentenceTable = { ...source.settings, records: {} };
  const handle = await open(path.join(dir, SENTENCE_FILES.vectors), 'w');
  try {
    let count = 0;
    for (const record of records) {
      const vectors = await source.vectorsOf(record);
      if (!vectors) continue;
      await handle.write(float32Bytes(vectors, dimension));
      table.records[abstractKey(record)] = [count, vectors.length];
      count += vectors.length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  const tableHandle = await open(path.join(dir, SENTENCE_FILES.table), 'w');
  try {
    await tableHandle.writeFile(JSON.stringify(table));
    await tableHandle.sync();
  } finally {
    await tableHandle.close();
  }
}

// The descriptor of a file whose reader was collected is closed then (the index it belonged to was swapped out).
const closeOnCollect = new FinalizationRegistry<number>((fd) => closeSync(fd));

/**
 * Sentence vectors read from an index folder, a few abstracts at a time. The file stays open from load, so an index
 * swapped in by rename under it does not change what this one reads.
 */
export class SentenceVectorFile implements SentenceVectorSource {
  private constructor(
    readonly settings: SentenceVectorSettings,
    private readonly table: SentenceTable['records'],
    private readonly fd: number,
  ) {
    closeOnCollect.register(this, fd);
  }

  /**
   * Opens the sentence vectors of an index folder when it has them for `expected` (same model, width and cut);
   * otherwise undefined, and the answer step embeds sentences itself. Throws when the vectors file does not hold what
   * its table describes (a damaged index, to be rebuilt).
   * @example
   * const sentences = await SentenceVectorFile.open('index', { modelId: model.modelId, dimension: 384, maxChars: 400 });
   */
  static async open(dir: string, expected: SentenceVectorSettings): Promise<SentenceVectorFile | undefined> {
    let table: SentenceTable;
    try {
      table = JSON.parse(await readFile(path.join(dir, SENTENCE_FILES.table), 'utf8')) as SentenceTable;
    } catch {
      return undefined; // an index made without them (or before they existed)
    }
    if (table.modelId !== expected.modelId || table.dimension !== expected.dimension || table.maxChars !== expected.maxChars) return undefined;
    const fd = openSync(path.join(dir, SENTENCE_FILES.vectors), 'r');
    const expectedBytes = Object.values(table.records).reduce((sum, [, count]) => sum + count, 0) * table.dimension * 4;
    const { size } = fstatSync(fd);
    if (size !== expectedBytes) {
      closeSync(fd);
      throw new Error(`${SENTENCE_FILES.vectors} holds ${size} bytes, its table describes ${expectedBytes}`);
    }
    return new SentenceVectorFile({ modelId: table.modelId, dimension: table.dimension, maxChars: table.maxChars }, table.records, fd);
  }

  async vectorsOf(record: Pick<AbstractRecord, 'id' | 'abstract'>): Promise<number[][] | undefined> {
    const entry = this.table[abstractKey(record)];
    if (!entry) return undefined;
    const [first, count] = entry;
    const width = this.settings.dimension * 4;
    const bytes = Buffer.alloc(count * width);
    const { bytesRead } = await readAt(this.fd, bytes, 0, bytes.length, first * width);
    if (bytesRead !== bytes.length) return undefined; // a short file: the answer step embeds them itself
    return vectorsFromBytes(bytes, this.settings.dimension);
  }
}
