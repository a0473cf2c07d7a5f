/**
 * A plain-TypeScript BERT forward pass (float64, one sequence, no batching) used as the hand computation the ONNX
 * graphs are checked against. Same conventions as scripts/model/bert-onnx.ts: post-LayerNorm, GELU via erf,
 * additive mask −10000, absolute positions from 0.
 */
import type { BertConfig } from '../../scripts/model/bert-onnx.js';

export type Mat = Float64Array[]; // rows

function linear(x: Mat, w: Float32Array, b: Float32Array, outDim: number): Mat {
  return x.map((row) => {
    const y = new Float64Array(outDim);
    for (let o = 0; o < outDim; o++) {
      let s = b[o]!;
      for (let i = 0; i < row.length; i++) s += row[i]! * w[o * row.length + i]!;
      y[o] = s;
    }
    return y;
  });
}

function layerNorm(x: Mat, w: Float32Array, b: Float32Array, eps: number): Mat {
  return x.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * w[i]! + b[i]!);
  });
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for a 1e-4 check; use a series / continued fraction instead.
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = 0;
    let term = t;
    for (let n = 0; n < 60; n++) {
      sum += term / (2 * n + 1);
      term *= (-t * t) / (n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction for large |x|
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (t + f);
  const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  return Math.sign(x) * (1 - erfc);
}

export function handForward(config: BertConfig, w: Record<string, Float32Array>, ids: number[], types: number[], mask: number[]): Mat {
  const H = config.hiddenSize;
  const NH = config.numHeads;
  const HD = H / NH;
  let x: Mat = ids.map((id, p) => {
    const row = new Float64Array(H);
    for (let h = 0; h < H; h++) {
      row[h] =
        w['embeddings.word_embeddings.weight']![id * H + h]! +
        w['embeddings.position_embeddings.weight']![p * H + h]! +
        w['embeddings.token_type_embeddings.weight']![types[p]! * H + h]!;
    }
    return row;
  });
  x = layerNorm(x, w['embeddings.LayerNorm.weight']!, w['embeddings.LayerNorm.bias']!, config.layerNormEps);
  for (let l = 0; l < config.numLayers; l++) {
    const p = `encoder.layer.${l}.`;
    const lin = (m: Mat, n: string, outDim: number): Mat => linear(m, w[`${p}${n}.weight`]!, w[`${p}${n}.bias`]!, outDim);
    const q = lin(x, 'attention.self.query', H);
    const k = lin(x, 'attention.self.key', H);
    const v = lin(x, 'attention.self.value', H);
    const ctx: Mat = x.map(() => new Float64Array(H));
    for (let h = 0; h < NH; h++) {
      for (let i = 0; i < x.length; i++) {
        const scores = x.map((_, j) => {
          let s = 0;
          for (let d = 0; d < HD; d++) s += q[i]![h * HD + d]! * k[j]![h * HD + d]!;
          return s / Math.sqrt(HD) + (mask[j] ? 0 : -10000);
        });
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < x.length; j++) for (let d = 0; d < HD; d++) ctx[i]![h * HD + d]! += (e[j]! / z) * v[j]![h * HD + d]!;
      }
    }
    const attn = lin(ctx, 'attention.output.dense', H);
    const x1 = layerNorm(attn.map((r, i) => r.map((val, j) => val + x[i]![j]!)), w[`${p}attention.output.LayerNorm.weight`]!, w[`${p}attention.output.LayerNorm.bias`]!, config.layerNormEps);
    const inter = lin(x1, 'intermediate.dense', config.intermediateSize).map((r) => r.map((val) => 0.5 * val * (1 + erf(val / Math.SQRT2))));
    const out = lin(inter, 'output.dense', H);
    x = layerNorm(out.map((r, i) => r.map((val, j) => val + x1[i]![j]!)), w[`${p}output.LayerNorm.weight`]!, w[`${p}output.LayerNorm.bias`]!, config.layerNormEps);
  }
  return x;
}


/** Mean over the tokens, then L2 normalisation (the E5 sentence embedding). */
export function meanPoolNormalize(x: Mat): Float64Array {
  const out = new Float64Array(x[0]!.length);
  for (const row of x) for (let i = 0; i < row.length; i++) out[i]! += row[i]! / x.length;
  const norm = Math.sqrt(out.reduce((a, v) => a + v * v, 0));
  return out.map((v) => v / norm);
}
