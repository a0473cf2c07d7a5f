/**
 * Q4_0 block quantisation (the llama.cpp format) and IEEE half-precision helpers.
 *
 * A Q4_0 block holds 32 weights in 18 bytes: a little-endian f16 scale `d`, then 16 bytes where byte j
 * carries weight j in its low nibble and weight j+16 in its high nibble; weight = (nibble − 8) × d.
 */

export const Q4_0_BLOCK = 32;
export const Q4_0_BYTES = 18;

/** IEEE 754 binary16 → number (handles subnormals, inf, NaN). */
export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** number → IEEE 754 binary16 bits, round-to-nearest-even. */
export function f32ToF16(value: number): number {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}

/** Number of bytes that `n` Q4_0 weights occupy (`n` must be a multiple of 32). */
export function q4_0ByteLength(n: number): number {
  if (n % Q4_0_BLOCK !== 0) throw new Error(`Q4_0 needs a multiple of ${Q4_0_BLOCK} elements, got ${n}`);
  return (n / Q4_0_BLOCK) * Q4_0_BYTES;
}

/**
 * Split Q4_0 data into its exact integer form: `q[i] = nibble − 8` (int8 in [−8, 7]) and one f16 scale per block
 * (raw bits). `q[i] × f16ToF32(scaleBits[i / 32])` is the weight, bit-exact.
 */
export function q4_0ToBlocks(bytes: Uint8Array, n: number): { q: Int8Array; scaleBits: Uint16Array } {
  const nb = n / Q4_0_BLOCK;
  if (bytes.length < q4_0ByteLength(n)) throw new Error(`Q4_0 buffer too short: ${bytes.length} < ${q4_0ByteLength(n)}`);
  const q = new Int8Array(n);
  const scaleBits = new Uint16Array(nb);
  for (let b = 0; b < nb; b++) {
    const o = b * Q4_0_BYTES;
    scaleBits[b] = bytes[o]! | (bytes[o + 1]! << 8);
    const base = b * Q4_0_BLOCK;
    for (let j = 0; j < 16; j++) {
      const byte = bytes[o + 2 + j]!;
      q[base + j] = (byte & 0x0f) - 8;
      q[base + j + 16] = (byte >> 4) - 8;
    }
  }
  return { q, scaleBits };
}

/** Dequantise `n` Q4_0 weights to float32. */
export function dequantizeQ4_0(bytes: Uint8Array, n: number): Float32Array {
  const nb = n / Q4_0_BLOCK;
  if (bytes.length < q4_0ByteLength(n)) throw new Error(`Q4_0 buffer too short: ${bytes.length} < ${q4_0ByteLength(n)}`);
  const out = new Float32Array(n);
  for (let b = 0; b < nb; b++) {
    const o = b * Q4_0_BYTES;
    const d = f16ToF32(bytes[o]! | (bytes[o + 1]! << 8));
    const base = b * Q4_0_BLOCK;
    for (let j = 0; j < 16; j++) {
      const byte = bytes[o + 2 + j]!;
      out[base + j] = ((byte & 0x0f) - 8) * d;
      out[base + j + 16] = ((byte >> 4) - 8) * d;
    }
  }
  return out;
}

/**
 * Quantise float32 to Q4_0 the llama.cpp way (d = signed max-magnitude / −8, nibble = round(x/d) + 8 clamped to
 * [0, 15]). Used by tests and by anyone who wants to build a synthetic `.bin`.
 */
export function quantizeQ4_0(x: Float32Array): Uint8Array {
  const n = x.length;
  const out = new Uint8Array(q4_0ByteLength(n));
  const nb = n / Q4_0_BLOCK;
  for (let b = 0; b < nb; b++) {
    const base = b * Q4_0_BLOCK;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < Q4_0_BLOCK; j++) {
      const v = x[base + j]!;
      if (Math.abs(v) > amax) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const dBits = f32ToF16(max / -8);
    const d = f16ToF32(dBits);
    const id = d !== 0 ? 1 / d : 0;
    const o = b * Q4_0_BYTES;
    out[o] = dBits & 0xff;
    out[o + 1] = dBits >> 8;
    for (let j = 0; j < 16; j++) {
      const lo = Math.min(15, Math.max(0, Math.round(x[base + j]! * id) + 8));
      const hi = Math.min(15, Math.max(0, Math.round(x[base + j + 16]! * id) + 8));
      out[o + 2 + j] = lo | (hi << 4);
    }
  }
  return out;
}
