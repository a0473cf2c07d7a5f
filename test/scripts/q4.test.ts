import { describe, expect, it } from 'vitest';
import { dequantizeQ4_0, f16ToF32, f32ToF16, q4_0ByteLength, q4_0ToBlocks, quantizeQ4_0 } from '../../scripts/model/q4.js';

describe('float16 helpers', () => {
  it('converts known half-precision bit patterns', () => {
    expect(f16ToF32(0x3c00)).toBe(1);
    expect(f16ToF32(0xc000)).toBe(-2);
    expect(f16ToF32(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(f16ToF32(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(f16ToF32(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(f32ToF16(1)).toBe(0x3c00);
    expect(f32ToF16(-2)).toBe(0xc000);
    expect(f32ToF16(65504)).toBe(0x7bff);
    expect(f32ToF16(1e6)).toBe(0x7c00);
  });

  it('round-trips every finite half value', () => {
    let bad = 0;
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue; // inf / NaN
      if (f32ToF16(f16ToF32(h)) !== h && !(h === 0x8000 && f32ToF16(-0) === 0x8000)) bad++;
    }
    expect(bad).toBe(0);
  });
});

describe('Q4_0', () => {
  it('decodes a hand-made block exactly (low nibble = weight j, high nibble = weight j+16)', () => {
    const block = new Uint8Array(18);
    const d = f32ToF16(0.5);
    block[0] = d & 0xff;
    block[1] = d >> 8;
    for (let j = 0; j < 16; j++) block[2 + j] = (j & 0x0f) | ((15 - j) << 4);
    const w = dequantizeQ4_0(block, 32);
    for (let j = 0; j < 16; j++) {
      expect(w[j]).toBe((j - 8) * 0.5);
      expect(w[j + 16]).toBe((15 - j - 8) * 0.5);
    }
    const { q, scaleBits } = q4_0ToBlocks(block, 32);
    expect(scaleBits[0]).toBe(d);
    expect(Array.from(q.slice(0, 3))).toEqual([-8, -7, -6]);
    expect(q[16]).toBe(7);
  });

  it('round-trips synthetic weights: error ≤ half a step (≤ one step where the 7·d end clamps), ~d/4 on average', () => {
    const n = 32 * 64;
    const x = new Float32Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      x[i] = (s / 2 ** 32 - 0.5) * (1 + (i % 7));
    }
    const bytes = quantizeQ4_0(x);
    expect(bytes.length).toBe(q4_0ByteLength(n));
    const y = dequantizeQ4_0(bytes, n);
    let sumErr = 0;
    let sumD = 0;
    for (let b = 0; b < n / 32; b++) {
      const d = Math.abs(f16ToF32(bytes[b * 18]! | (bytes[b * 18 + 1]! << 8)));
      for (let j = 0; j < 32; j++) {
        const i = b * 32 + j;
        const err = Math.abs(y[i]! - x[i]!);
        const clamped = Math.abs(x[i]!) > 7.5 * d;
        expect(err).toBeLessThanOrEqual((clamped ? d : d / 2) * 1.002 + 1e-7);
        sumErr += err;
        sumD += d;
      }
    }
    expect(sumErr / sumD).toBeLessThan(0.3);
    // Quantising the dequantised values again reproduces the same bytes (a fixed point).
    expect(Buffer.from(quantizeQ4_0(y)).equals(Buffer.from(bytes))).toBe(true);
    // The integer form agrees with the float form.
    const { q, scaleBits } = q4_0ToBlocks(bytes, n);
    for (let i = 0; i < n; i += 97) expect(q[i]! * f16ToF32(scaleBits[Math.floor(i / 32)]!)).toBe(y[i]);
  });

  it('rejects sizes that are not whole blocks or buffers that are too short', () => {
    expect(() => q4_0ByteLength(33)).toThrow(/multiple of 32/);
    expect(() => dequantizeQ4_0(new Uint8Array(17), 32)).toThrow(/too short/);
  });
});
