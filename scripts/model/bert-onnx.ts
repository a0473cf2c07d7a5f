/**
 * Build a BERT encoder (absolute positions, post-LayerNorm, GELU via erf) as an ONNX model, ready for
 * @xenova/transformers 2.x / onnxruntime 1.14: inputs `input_ids`, `attention_mask`, `token_type_ids` (int64
 * [batch, sequence]), output `last_hidden_state` (float [batch, sequence, hidden]).
 *
 * Independent of any particular weight source: give it a config and HF-named weights (PyTorch layout, Linear
 * weights [out, in], row-major), get back the serialised ModelProto bytes.
 *
 * Weight names (HF `BertModel` without the `bert.` prefix):
 *   embeddings.word_embeddings.weight [V,H], embeddings.position_embeddings.weight [P,H],
 *   embeddings.token_type_embeddings.weight [T,H], embeddings.LayerNorm.{weight,bias} [H],
 *   encoder.layer.{i}.attention.self.{query,key,value}.{weight [H,H],bias [H]},
 *   encoder.layer.{i}.attention.output.dense.{weight [H,H],bias}, encoder.layer.{i}.attention.output.LayerNorm.{weight,bias},
 *   encoder.layer.{i}.intermediate.dense.{weight [F,H],bias [F]}, encoder.layer.{i}.output.dense.{weight [H,F],bias [H]},
 *   encoder.layer.{i}.output.LayerNorm.{weight,bias}.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;

export interface BertConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
}

/** A matrix stored as int8 values with one scale per block of `blockSize` consecutive elements of a row. */
export interface BlockInt8 {
  kind: 'block-int8';
  q: Int8Array;
  /** one scale per block: float32 values, or raw IEEE half bits (Uint16Array, stored exactly as float16) */
  scales: Float32Array | Uint16Array;
  blockSize: number;
}

export type BertWeights = Record<string, Float32Array | BlockInt8>;

export interface BertOnnxOptions {
  /**
   * 'float32': MatMul on float weights (model.onnx).
   * 'int8': dynamic quantisation as onnxruntime's quantize_dynamic does it (DynamicQuantizeLinear on activations,
   * MatMulInteger on symmetric int8 weights with one scale per output channel) — model_quantized.onnx.
   */
  linear?: 'float32' | 'int8';
  /**
   * 'float32': a float table. 'int8-blocks': int8 values + one scale per 32 values, dequantised after the Gather
   * (only the looked-up rows are expanded). A `BlockInt8` word-embedding weight is always stored as given.
   */
  wordEmbeddings?: 'float32' | 'int8-blocks';
  /**
   * Emit onnxruntime's fused contrib operators (domain com.microsoft, CPU kernels since onnxruntime 1.x; checked on
   * onnxruntime-node 1.14): one `Attention` (float) or `QAttention` (int8) per layer instead of the Q/K/V
   * projections, scaling, mask, softmax and context product as separate nodes; `SkipLayerNormalization` for
   * residual + LayerNorm; `BiasGelu` for bias + exact GELU; `DynamicQuantizeMatMul` for the other int8 linears.
   * Same arithmetic as the plain graph (exact erf GELU, additive mask −10000); it just runs as a few cache-friendly
   * kernels per layer that split across threads, rather than ~40 small ones.
   * @default false
   */
  fused?: boolean;
  producerName?: string;
  /** Written into the model's metadata_props. */
  metadata?: Record<string, string>;
}

export const LINEAR_NAMES = [
  'attention.self.query',
  'attention.self.key',
  'attention.self.value',
  'attention.output.dense',
  'intermediate.dense',
  'output.dense',
] as const;

/** Names and shapes every BERT weight must have for `config`. */
export function bertWeightShapes(config: BertConfig): Map<string, number[]> {
  const { hiddenSize: H, intermediateSize: F, vocabSize: V, maxPositions: P, typeVocabSize: T } = config;
  const shapes = new Map<string, number[]>([
    ['embeddings.word_embeddings.weight', [V, H]],
    ['embeddings.position_embeddings.weight', [P, H]],
    ['embeddings.token_type_embeddings.weight', [T, H]],
    ['embeddings.LayerNorm.weight', [H]],
    ['embeddings.LayerNorm.bias', [H]],
  ]);
  for (let i = 0; i < config.numLayers; i++) {
    const p = `encoder.layer.${i}.`;
    for (const n of ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense']) {
      shapes.set(`${p}${n}.weight`, [H, H]);
      shapes.set(`${p}${n}.bias`, [H]);
    }
    shapes.set(`${p}intermediate.dense.weight`, [F, H]);
    shapes.set(`${p}intermediate.dense.bias`, [F]);
    shapes.set(`${p}output.dense.weight`, [H, F]);
    shapes.set(`${p}output.dense.bias`, [H]);
    for (const n of ['attention.output.LayerNorm', 'output.LayerNorm']) {
      shapes.set(`${p}${n}.weight`, [H]);
      shapes.set(`${p}${n}.bias`, [H]);
    }
  }
  return shapes;
}

const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

function bytesOf(a: Float32Array | Int8Array | Uint8Array | Uint16Array | Int32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = w[base + c]!;
  }
  return out;
}

/** Symmetric per-row int8 quantisation of W [out, in], returned transposed as [in, out] for MatMulInteger. */
export function quantizeRowsInt8(w: Float32Array, out: number, inp: number): { qT: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(out);
  const qT = new Int8Array(w.length);
  for (let o = 0; o < out; o++) {
    let amax = 0;
    for (let i = 0; i < inp; i++) amax = Math.max(amax, Math.abs(w[o * inp + i]!));
    const s = amax > 0 ? amax / 127 : 1;
    scales[o] = s;
    for (let i = 0; i < inp; i++) qT[i * out + o] = Math.max(-127, Math.min(127, Math.round(w[o * inp + i]! / s)));
  }
  return { qT, scales };
}

/** int8 with one float32 scale per block of `blockSize` (symmetric, max-magnitude / 127). */
export function quantizeBlocksInt8(x: Float32Array, blockSize: number): BlockInt8 {
  if (x.length % blockSize) throw new Error(`length ${x.length} is not a multiple of ${blockSize}`);
  const nb = x.length / blockSize;
  const q = new Int8Array(x.length);
  const scales = new Float32Array(nb);
  for (let b = 0; b < nb; b++) {
    let amax = 0;
    for (let j = 0; j < blockSize; j++) amax = Math.max(amax, Math.abs(x[b * blockSize + j]!));
    const s = amax > 0 ? amax / 127 : 1;
    scales[b] = s;
    for (let j = 0; j < blockSize; j++) q[b * blockSize + j] = Math.round(x[b * blockSize + j]! / s);
  }
  return { kind: 'block-int8', q, scales, blockSize };
}

class GraphBuilder {
  nodes: INodeProto[] = [];
  initializers: ITensorProto[] = [];
  private counter = 0;

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  init(name: string, dataType: number, dims: number[], raw: Uint8Array): string {
    this.initializers.push({ name, dataType, dims, rawData: raw });
    return name;
  }
  f32(name: string, dims: number[], data: Float32Array | number[]): string {
    const a = data instanceof Float32Array ? data : Float32Array.from(data);
    return this.init(name, DT.FLOAT, dims, bytesOf(a));
  }
  i64(name: string, dims: number[], data: number[]): string {
    return this.init(name, DT.INT64, dims, bytesOf(BigInt64Array.from(data.map((v) => BigInt(v)))));
  }

  node(opType: string, inputs: string[], attrs: IAttributeProto[] = [], nOut = 1, hint = opType): string[] {
    const outputs = Array.from({ length: nOut }, () => this.fresh(hint));
    this.nodes.push({ opType, input: inputs, output: outputs, name: this.fresh(`n_${opType}`), attribute: attrs });
    return outputs;
  }
  one(opType: string, inputs: string[], attrs: IAttributeProto[] = [], hint = opType): string {
    return this.node(opType, inputs, attrs, 1, hint)[0]!;
  }
  /** One node of onnxruntime's contrib domain (com.microsoft). */
  ms(opType: string, inputs: string[], attrs: IAttributeProto[] = []): string {
    const output = this.fresh(opType);
    this.nodes.push({ opType, domain: MS_DOMAIN, input: inputs, output: [output], name: this.fresh(`n_${opType}`), attribute: attrs });
    return output;
  }
}

const MS_DOMAIN = 'com.microsoft';

const intAttr = (name: string, i: number): IAttributeProto => ({ name, type: AT.INT, i });
const floatAttr = (name: string, f: number): IAttributeProto => ({ name, type: AT.FLOAT, f });
const intsAttr = (name: string, ints: number[]): IAttributeProto => ({ name, type: AT.INTS, ints });

function requireF32(weights: BertWeights, name: string, size: number): Float32Array {
  const w = weights[name];
  if (!w) throw new Error(`missing weight ${name}`);
  if (!(w instanceof Float32Array)) throw new Error(`weight ${name} must be a Float32Array`);
  if (w.length !== size) throw new Error(`weight ${name}: ${w.length} values, expected ${size}`);
  return w;
}

/** Build the ONNX model; returns the serialised bytes. */
export function buildBertOnnx(config: BertConfig, weights: BertWeights, options: BertOnnxOptions = {}): Uint8Array {
  const linearMode = options.linear ?? 'float32';
  const wordMode = options.wordEmbeddings ?? 'float32';
  const { hiddenSize: H, numHeads: NH, numLayers: L } = config;
  if (H % NH) throw new Error(`hidden size ${H} is not divisible by ${NH} heads`);
  const HD = H / NH;
  const shapes = bertWeightShapes(config);
  for (const name of Object.keys(weights)) if (!shapes.has(name)) throw new Error(`unexpected weight ${name}`);
  const size = (name: string): number => shapes.get(name)!.reduce((a, b) => a * b, 1);
  const g = new GraphBuilder();

  // Shared constant, made on first use (an unused initializer makes onnxruntime print a warning at every load).
  let shapeHidden: string | undefined;
  const cShapeHidden = (): string => (shapeHidden ??= g.i64('const_shape_hidden', [3], [0, 0, H]));
  const cZero1 = g.i64('const_zero_1d', [1], [0]);
  const cOne1 = g.i64('const_one_1d', [1], [1]);
  const cTwo1 = g.i64('const_two_1d', [1], [2]);

  // ---- embeddings
  const wordName = 'embeddings.word_embeddings.weight';
  const word = weights[wordName];
  if (!word) throw new Error(`missing weight ${wordName}`);
  let wordOut: string;
  const asBlocks: BlockInt8 | null =
    !(word instanceof Float32Array) ? word : wordMode === 'int8-blocks' ? quantizeBlocksInt8(requireF32(weights, wordName, size(wordName)), 32) : null;
  if (asBlocks) {
    if (asBlocks.q.length !== size(wordName)) throw new Error(`${wordName}: ${asBlocks.q.length} values, expected ${size(wordName)}`);
    if (H % asBlocks.blockSize) throw new Error(`block size ${asBlocks.blockSize} does not divide hidden size ${H}`);
    const nb = H / asBlocks.blockSize;
    const qName = g.init(`${wordName}_int8`, DT.INT8, [config.vocabSize, H], bytesOf(asBlocks.q));
    const sIsHalf = asBlocks.scales instanceof Uint16Array;
    const sName = g.init(`${wordName}_scales`, sIsHalf ? DT.FLOAT16 : DT.FLOAT, [config.vocabSize, nb], bytesOf(asBlocks.scales));
    const rows = g.one('Cast', [g.one('Gather', [qName, 'input_ids'], [intAttr('axis', 0)])], [intAttr('to', DT.FLOAT)]);
    const blocks = g.one('Reshape', [rows, g.i64('const_shape_word_blocks', [4], [0, 0, nb, asBlocks.blockSize])]);
    let sc = g.one('Gather', [sName, 'input_ids'], [intAttr('axis', 0)]);
    if (sIsHalf) sc = g.one('Cast', [sc], [intAttr('to', DT.FLOAT)]);
    const scaled = g.one('Mul', [blocks, g.one('Unsqueeze', [sc, g.i64('const_axes_last', [1], [-1])])]);
    wordOut = g.one('Reshape', [scaled, cShapeHidden()]);
  } else {
    const w = g.f32(wordName, [config.vocabSize, H], requireF32(weights, wordName, size(wordName)));
    wordOut = g.one('Gather', [w, 'input_ids'], [intAttr('axis', 0)]);
  }
  const posName = 'embeddings.position_embeddings.weight';
  const pos = g.f32(posName, [config.maxPositions, H], requireF32(weights, posName, size(posName)));
  const seqLen = g.one('Slice', [g.one('Shape', ['input_ids']), cOne1, cTwo1]);
  const posOut = g.one('Slice', [pos, cZero1, seqLen, cZero1]);
  const typeName = 'embeddings.token_type_embeddings.weight';
  const typ = g.f32(typeName, [config.typeVocabSize, H], requireF32(weights, typeName, size(typeName)));
  const typeOut = g.one('Gather', [typ, 'token_type_ids'], [intAttr('axis', 0)]);

  const layerNorm = (x: string, prefix: string): string => {
    const w = g.f32(`${prefix}.weight`, [H], requireF32(weights, `${prefix}.weight`, H));
    const b = g.f32(`${prefix}.bias`, [H], requireF32(weights, `${prefix}.bias`, H));
    return g.one('LayerNormalization', [x, w, b], [intAttr('axis', -1), floatAttr('epsilon', config.layerNormEps)]);
  };

  const linear = (x: string, prefix: string, outDim: number, inDim: number): string => {
    const w = requireF32(weights, `${prefix}.weight`, outDim * inDim);
    const b = g.f32(`${prefix}.bias`, [outDim], requireF32(weights, `${prefix}.bias`, outDim));
    if (linearMode === 'float32') {
      const wt = g.f32(`${prefix}.weight_T`, [inDim, outDim], transpose(w, outDim, inDim));
      return g.one('Add', [g.one('MatMul', [x, wt]), b]);
    }
    const { qT, scales } = quantizeRowsInt8(w, outDim, inDim);
    const wq = g.init(`${prefix}.weight_T_int8`, DT.INT8, [inDim, outDim], bytesOf(qT));
    const wzp = g.init(`${prefix}.weight_zero_point`, DT.INT8, [outDim], new Uint8Array(outDim));
    const ws = g.f32(`${prefix}.weight_scale`, [outDim], scales);
    const [xq, xs, xzp] = g.node('DynamicQuantizeLinear', [x], [], 3, 'dql');
    const mm = g.one('MatMulInteger', [xq!, wq, xzp!, wzp]);
    const scale = g.one('Mul', [xs!, ws]);
    const f = g.one('Mul', [g.one('Cast', [mm], [intAttr('to', DT.FLOAT)]), scale]);
    return g.one('Add', [f, b]);
  };

  let x: string;
  if (options.fused) {
    x = fusedEncoder(g, config, weights, linearMode, { word: wordOut, type: typeOut, pos: posOut });
  } else {
    const cShapeHeads = g.i64('const_shape_heads', [4], [0, 0, NH, HD]);
    const cOne = g.f32('const_one', [], [1]);
    const cHalf = g.f32('const_half', [], [0.5]);
    const cSqrt2 = g.f32('const_sqrt2', [], [Math.SQRT2]);
    const cNegBig = g.f32('const_mask_value', [], [-10000]);
    const cAttnScale = g.f32('const_attn_scale', [], [1 / Math.sqrt(HD)]);
    const cAxes12 = g.i64('const_axes_1_2', [2], [1, 2]);
    const embSum = g.one('Add', [g.one('Add', [wordOut, typeOut]), posOut]);
    x = layerNorm(embSum, 'embeddings.LayerNorm');

    // ---- attention mask → additive bias [B,1,1,S]
    const maskF = g.one('Cast', ['attention_mask'], [intAttr('to', DT.FLOAT)]);
    const maskBias = g.one('Unsqueeze', [g.one('Mul', [g.one('Sub', [cOne, maskF]), cNegBig]), cAxes12]);

    for (let i = 0; i < L; i++) {
      const p = `encoder.layer.${i}.`;
      const heads = (t: string, perm: number[]): string =>
        g.one('Transpose', [g.one('Reshape', [t, cShapeHeads])], [intsAttr('perm', perm)]);
      const q = heads(linear(x, `${p}attention.self.query`, H, H), [0, 2, 1, 3]);
      const k = heads(linear(x, `${p}attention.self.key`, H, H), [0, 2, 3, 1]);
      const v = heads(linear(x, `${p}attention.self.value`, H, H), [0, 2, 1, 3]);
      const scores = g.one('Add', [g.one('Mul', [g.one('MatMul', [q, k]), cAttnScale]), maskBias]);
      const probs = g.one('Softmax', [scores], [intAttr('axis', -1)]);
      const ctx = g.one('Reshape', [g.one('Transpose', [g.one('MatMul', [probs, v])], [intsAttr('perm', [0, 2, 1, 3])]), cShapeHidden()]);
      const attnOut = linear(ctx, `${p}attention.output.dense`, H, H);
      const x1 = layerNorm(g.one('Add', [attnOut, x]), `${p}attention.output.LayerNorm`);
      const inter = linear(x1, `${p}intermediate.dense`, config.intermediateSize, H);
      // GELU(x) = x · 0.5 · (1 + erf(x / √2)), in the shape onnxruntime fuses into one Gelu kernel.
      const erf = g.one('Erf', [g.one('Div', [inter, cSqrt2])]);
      const gelu = g.one('Mul', [g.one('Mul', [inter, g.one('Add', [erf, cOne])]), cHalf]);
      const out = linear(gelu, `${p}output.dense`, H, config.intermediateSize);
      x = layerNorm(g.one('Add', [out, x1]), `${p}output.LayerNorm`);
    }
  }
  g.nodes.push({ opType: 'Identity', input: [x], output: ['last_hidden_state'], name: 'output_identity' });

  const tensorType = (name: string, elemType: number, dims: (string | number)[]): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });

  const model: onnxProto.onnx.IModelProto = {
    irVersion: 8,
    producerName: options.producerName ?? 'abstract-qa bert-onnx',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: 17 }, ...(options.fused ? [{ domain: MS_DOMAIN, version: 1 }] : [])],
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'bert',
      node: g.nodes,
      initializer: g.initializers,
      input: [
        tensorType('input_ids', DT.INT64, ['batch_size', 'sequence_length']),
        tensorType('attention_mask', DT.INT64, ['batch_size', 'sequence_length']),
        tensorType('token_type_ids', DT.INT64, ['batch_size', 'sequence_length']),
      ],
      output: [tensorType('last_hidden_state', DT.FLOAT, ['batch_size', 'sequence_length', H])],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

/** [out, in] row-major Linear weights of Q, K and V side by side, transposed: [in, 3·out] (Attention's layout). */
function packQkv(q: Float32Array, k: Float32Array, v: Float32Array, H: number): Float32Array {
  const out = new Float32Array(3 * H * H);
  [q, k, v].forEach((w, part) => {
    for (let o = 0; o < H; o++) for (let i = 0; i < H; i++) out[i * 3 * H + part * H + o] = w[o * H + i]!;
  });
  return out;
}

/**
 * The encoder of `buildBertOnnx({ fused: true })`: embedding sum + LayerNorm, then per layer
 *   Attention | DynamicQuantizeLinear → QAttention  (QKV projection, scaled masked softmax, context: one kernel)
 *   MatMul | DynamicQuantizeMatMul → SkipLayerNormalization (+ bias, + residual, LayerNorm)
 *   MatMul | DynamicQuantizeMatMul → BiasGelu → MatMul | DynamicQuantizeMatMul → SkipLayerNormalization.
 * int8 weights are symmetric per output channel, exactly as the plain graph's MatMulInteger path quantises them.
 */
function fusedEncoder(
  g: GraphBuilder,
  config: BertConfig,
  weights: BertWeights,
  linearMode: 'float32' | 'int8',
  emb: { word: string; type: string; pos: string },
): string {
  const { hiddenSize: H, intermediateSize: F, numHeads: NH, layerNormEps: eps } = config;
  const f32 = (name: string, n: number): Float32Array => requireF32(weights, name, n);
  const param = (name: string, n: number): string => g.f32(name, [n], f32(name, n));
  const skipLayerNorm = (x: string, skip: string, prefix: string, bias?: string): string =>
    g.ms('SkipLayerNormalization', [x, skip, param(`${prefix}.weight`, H), param(`${prefix}.bias`, H), ...(bias ? [bias] : [])], [floatAttr('epsilon', eps)]);
  // x · Wᵀ without the bias (callers fold it into the next fused node).
  const matmul = (x: string, prefix: string, outDim: number, inDim: number): string => {
    const w = f32(`${prefix}.weight`, outDim * inDim);
    if (linearMode === 'float32') return g.one('MatMul', [x, g.f32(`${prefix}.weight_T`, [inDim, outDim], transpose(w, outDim, inDim))]);
    const { qT, scales } = quantizeRowsInt8(w, outDim, inDim);
    const wq = g.init(`${prefix}.weight_T_int8`, DT.INT8, [inDim, outDim], bytesOf(qT));
    const wzp = g.init(`${prefix}.weight_zero_point`, DT.INT8, [outDim], new Uint8Array(outDim));
    return g.ms('DynamicQuantizeMatMul', [x, wq, g.f32(`${prefix}.weight_scale`, [outDim], scales), wzp]);
  };

  let x = skipLayerNorm(emb.word, g.one('Add', [emb.type, emb.pos]), 'embeddings.LayerNorm');
  // Raw 0/1 mask [B,S]: Attention masks keys where it is 0 (additive −10000, as the plain graph does).
  const mask = g.one('Cast', ['attention_mask'], [intAttr('to', DT.INT32)]);
  const heads = [intAttr('num_heads', NH)];

  for (let i = 0; i < config.numLayers; i++) {
    const p = `encoder.layer.${i}.`;
    const [q, k, v] = ['query', 'key', 'value'].map((n) => f32(`${p}attention.self.${n}.weight`, H * H)) as [Float32Array, Float32Array, Float32Array];
    const qkvBias = new Float32Array(3 * H);
    ['query', 'key', 'value'].forEach((n, part) => qkvBias.set(f32(`${p}attention.self.${n}.bias`, H), part * H));
    const bias = g.f32(`${p}attention.qkv.bias`, [3 * H], qkvBias);
    const packed = packQkv(q, k, v, H); // [H, 3H]
    let ctx: string;
    if (linearMode === 'float32') {
      ctx = g.ms('Attention', [x, g.f32(`${p}attention.qkv.weight`, [H, 3 * H], packed), bias, mask], heads);
    } else {
      // Quantise each of the 3H output channels (a column of `packed`) like quantizeRowsInt8 does a row.
      const { qT, scales } = quantizeRowsInt8(transpose(packed, H, 3 * H), 3 * H, H);
      const wq = g.init(`${p}attention.qkv.weight_int8`, DT.INT8, [H, 3 * H], bytesOf(qT));
      const ws = g.f32(`${p}attention.qkv.weight_scale`, [3 * H], scales);
      const wzp = g.init(`${p}attention.qkv.weight_zero_point`, DT.INT8, [3 * H], new Uint8Array(3 * H));
      const [xq, xs, xzp] = g.node('DynamicQuantizeLinear', [x], [], 3, 'dql');
      ctx = g.ms('QAttention', [xq!, wq, bias, xs!, ws, mask, xzp!, wzp], heads);
    }
    const attnOut = matmul(ctx, `${p}attention.output.dense`, H, H);
    const x1 = skipLayerNorm(attnOut, x, `${p}attention.output.LayerNorm`, param(`${p}attention.output.dense.bias`, H));
    const gelu = g.ms('BiasGelu', [matmul(x1, `${p}intermediate.dense`, F, H), param(`${p}intermediate.dense.bias`, F)]);
    const out = matmul(gelu, `${p}output.dense`, H, F);
    x = skipLayerNorm(out, x1, `${p}output.LayerNorm`, param(`${p}output.dense.bias`, H));
  }
  return x;
}

/** HF-style `config.json` for transformers.js. */
export function bertConfigJson(config: BertConfig, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numLayers,
    num_attention_heads: config.numHeads,
    intermediate_size: config.intermediateSize,
    hidden_act: 'gelu',
    vocab_size: config.vocabSize,
    max_position_embeddings: config.maxPositions,
    type_vocab_size: config.typeVocabSize,
    layer_norm_eps: config.layerNormEps,
    position_embedding_type: 'absolute',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    initializer_range: 0.02,
    ...extra,
  };
}

/** Where {@link externalizeLookupTables} puts table data: a page-aligned offset (64 KiB: Windows' mapping granularity). */
const EXTERNAL_ALIGNMENT = 65_536;

/**
 * Moves the initializers that only Gather nodes read (the word-embedding table and its scales: 102 MB of the int8
 * e5-small) out of the model into a sibling data file, page-aligned, as ONNX external data. onnxruntime maps such
 * data into memory instead of copying it, so a process only holds the rows its questions touch: the server's RSS
 * after loading the int8 model goes from 269 to 157 MB, and the embedding processes share the pages. Initializers
 * smaller than `minBytes` stay inline.
 * @example
 * const { model, data } = externalizeLookupTables(buildBertOnnx(cfg, weights), 'model_quantized.onnx_data');
 */
export function externalizeLookupTables(modelBytes: Uint8Array, dataFileName: string, minBytes = 1 << 20): { model: Uint8Array; data: Uint8Array } {
  const model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph!;
  const readers = new Map<string, Set<string>>();
  for (const node of graph.node ?? []) for (const input of node.input ?? []) readers.set(input, (readers.get(input) ?? new Set()).add(node.opType ?? ''));
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of graph.initializer ?? []) {
    // Float tables written as a repeated field (hand-built test models) are moved as their little-endian bytes.
    const raw = tensor.rawData?.length ? tensor.rawData : tensor.dataType === DT.FLOAT && tensor.floatData?.length ? bytesOf(Float32Array.from(tensor.floatData)) : undefined;
    const readBy = readers.get(tensor.name ?? '');
    if (!raw || raw.length < minBytes || !readBy || [...readBy].some((op) => op !== 'Gather')) continue;
    const padding = (EXTERNAL_ALIGNMENT - (offset % EXTERNAL_ALIGNMENT)) % EXTERNAL_ALIGNMENT;
    if (padding > 0) parts.push(new Uint8Array(padding));
    offset += padding;
    parts.push(raw);
    tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    tensor.externalData = [
      { key: 'location', value: dataFileName },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.length) },
    ];
    tensor.rawData = new Uint8Array(0);
    tensor.floatData = [];
    offset += raw.length;
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return { model: onnx.ModelProto.encode(model).finish(), data };
}
