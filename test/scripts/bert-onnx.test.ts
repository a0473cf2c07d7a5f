import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { bertWeightShapes, buildBertOnnx, type BertConfig, type BlockInt8 } from '../../scripts/model/bert-onnx.js';
import { f16ToF32, f32ToF16 } from '../../scripts/model/q4.js';
import { handForward as handForwardFor } from './bert-hand.js';

// A 2-layer BERT small enough to compute by hand in plain TypeScript.
const config: BertConfig = {
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 96,
  vocabSize: 40,
  maxPositions: 16,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const handForward = (w: Record<string, Float32Array>, ids: number[], types: number[], mask: number[]): Float64Array[] =>
  handForwardFor(config, w, ids, types, mask);

function randomWeights(seed: number): Record<string, Float32Array> {
  const r = rng(seed);
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of bertWeightShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    const isLnWeight = name.endsWith('LayerNorm.weight');
    for (let i = 0; i < n; i++) a[i] = isLnWeight ? 1 + (r() - 0.5) * 0.2 : (r() - 0.5) * 0.4;
    out[name] = a;
  }
  return out;
}

async function run(model: Uint8Array, ids: number[][], types: number[][], mask: number[][]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  const B = ids.length;
  const S = ids[0]!.length;
  const t = (a: number[][]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(a.flat().map((v) => BigInt(v))), [B, S]);
  const out = await session.run({ input_ids: t(ids), attention_mask: t(mask), token_type_ids: t(types) });
  const hidden = out['last_hidden_state']!;
  expect(hidden.dims).toEqual([B, S, config.hiddenSize]);
  return hidden.data as Float32Array;
}

/** Count of each `domain:opType` in a serialised model. */
function opTypes(model: Uint8Array): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of onnxProto.onnx.ModelProto.decode(model).graph!.node!) {
    const key = `${n.domain ?? ''}:${n.opType}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return d / Math.sqrt(na * nb);
}

describe('buildBertOnnx (2-layer BERT against a hand computation)', () => {
  const w = randomWeights(7);
  const ids = [
    [0, 5, 17, 33, 2, 1],
    [0, 9, 2, 1, 1, 1],
  ];
  const types = [
    [0, 0, 0, 1, 1, 0],
    [0, 0, 0, 0, 0, 0],
  ];
  const mask = [
    [1, 1, 1, 1, 1, 0],
    [1, 1, 1, 0, 0, 0],
  ];

  const maxErrorAgainstHand = (out: Float32Array): number => {
    let maxErr = 0;
    for (let b = 0; b < ids.length; b++) {
      const len = mask[b]!.filter(Boolean).length;
      // The hand computation sees only the real tokens: padding must not change them.
      const expected = handForward(w, ids[b]!.slice(0, len), types[b]!.slice(0, len), mask[b]!.slice(0, len));
      for (let s = 0; s < len; s++)
        for (let h = 0; h < config.hiddenSize; h++) {
          const got = out[(b * ids[0]!.length + s) * config.hiddenSize + h]!;
          maxErr = Math.max(maxErr, Math.abs(got - expected[s]![h]!));
        }
    }
    return maxErr;
  };

  it('float32 graph matches the hand computation to 1e-4 on every unmasked token', async () => {
    expect(maxErrorAgainstHand(await run(buildBertOnnx(config, w), ids, types, mask))).toBeLessThan(1e-4);
  });

  it('int8 graph (dynamic quantisation) stays close to float32 and int8+f16 block embeddings are exact', async () => {
    const fp = await run(buildBertOnnx(config, w), ids, types, mask);
    const q8 = await run(buildBertOnnx(config, w, { linear: 'int8', wordEmbeddings: 'int8-blocks' }), ids, types, mask);
    const H = config.hiddenSize;
    for (let s = 0; s < 5; s++) {
      const a = fp.subarray(s * H, (s + 1) * H);
      const b = q8.subarray(s * H, (s + 1) * H);
      // random weights are harsher on 8-bit activations than trained ones
      expect(cosine(a, b)).toBeGreaterThan(0.98);
    }
    // A word-embedding table given as int8 values + float16 block scales (the Q4_0 route) is reproduced exactly.
    const V = config.vocabSize;
    const q = new Int8Array(V * H).map((_, i) => ((i * 7) % 16) - 8);
    const scaleBits = new Uint16Array((V * H) / 32).map((_, b) => f32ToF16(0.01 + (b % 5) * 0.003));
    const table = new Float32Array(V * H).map((_, i) => q[i]! * f16ToF32(scaleBits[Math.floor(i / 32)]!));
    const a = await run(buildBertOnnx(config, { ...w, 'embeddings.word_embeddings.weight': table }), ids, types, mask);
    const blocks: BlockInt8 = { kind: 'block-int8', q, scales: scaleBits, blockSize: 32 };
    const b = await run(buildBertOnnx(config, { ...w, 'embeddings.word_embeddings.weight': blocks }), ids, types, mask);
    let maxErr = 0;
    for (let i = 0; i < a.length; i++) maxErr = Math.max(maxErr, Math.abs(a[i]! - b[i]!));
    expect(maxErr).toBeLessThan(1e-5);
  });

  it('fused float32 graph (Attention, SkipLayerNormalization, BiasGelu) matches the hand computation to 1e-4', async () => {
    const model = buildBertOnnx(config, w, { fused: true });
    const ops = opTypes(model);
    expect(ops.get('com.microsoft:Attention')).toBe(config.numLayers);
    expect(ops.get('com.microsoft:SkipLayerNormalization')).toBe(2 * config.numLayers + 1);
    expect(ops.get('com.microsoft:BiasGelu')).toBe(config.numLayers);
    expect(ops.has(':Softmax')).toBe(false);
    expect(maxErrorAgainstHand(await run(model, ids, types, mask))).toBeLessThan(1e-4);
  });

  it('fused int8 graph (QAttention, DynamicQuantizeMatMul) stays as close to the hand computation as the plain int8 graph', async () => {
    const fusedModel = buildBertOnnx(config, w, { fused: true, linear: 'int8' });
    const ops = opTypes(fusedModel);
    expect(ops.get('com.microsoft:QAttention')).toBe(config.numLayers);
    expect(ops.get('com.microsoft:DynamicQuantizeMatMul')).toBe(3 * config.numLayers);
    expect(ops.has(':MatMulInteger')).toBe(false);
    const fused = await run(fusedModel, ids, types, mask);
    const plain = await run(buildBertOnnx(config, w, { linear: 'int8' }), ids, types, mask);
    const H = config.hiddenSize;
    let worstFused = 1;
    let worstPlain = 1;
    for (let b = 0; b < ids.length; b++) {
      const len = mask[b]!.filter(Boolean).length;
      const expected = handForward(w, ids[b]!.slice(0, len), types[b]!.slice(0, len), mask[b]!.slice(0, len));
      for (let s = 0; s < len; s++) {
        const at = (b * ids[0]!.length + s) * H;
        worstFused = Math.min(worstFused, cosine(fused.subarray(at, at + H), expected[s]!));
        worstPlain = Math.min(worstPlain, cosine(plain.subarray(at, at + H), expected[s]!));
      }
    }
    expect(worstFused).toBeGreaterThan(0.98);
    // Same quantisation scheme, different kernels: no worse than the unfused int8 graph beyond rounding.
    expect(worstFused).toBeGreaterThan(worstPlain - 0.005);
  });

  it('rejects weights of the wrong size or with unknown names', () => {
    expect(() => buildBertOnnx(config, { ...w, 'embeddings.LayerNorm.bias': new Float32Array(3) })).toThrow(/expected 64/);
    expect(() => buildBertOnnx(config, { ...w, 'pooler.dense.weight': new Float32Array(4) })).toThrow(/unexpected weight/);
  });
});
