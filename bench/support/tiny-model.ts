/**
 * Writes a tiny BERT-shaped embedding model in the exact on-disk layout transformers.js loads
 * (`<root>/<org>/<name>/{config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx}`), so tests
 * run the product's real loader and index with no network. Its vectors are a bag of pseudo-random word vectors:
 * texts sharing words are close, which is all the tests need; they mean nothing beyond that.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Options of {@link writeTinyModel}. */
export interface TinyModelOptions {
  /** Model id, `<org>/<name>`. @default 'Xenova/multilingual-e5-small' */
  modelId?: string;
  /** Texts whose words (and Han characters) make up the vocabulary. */
  vocabularyFrom: string[];
  /** Embedding width. @default 32 */
  hiddenSize?: number;
}

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** Generates the model under `root` and returns its folder. */
export function writeTinyModel(root: string, options: TinyModelOptions): string {
  const modelId = options.modelId ?? 'Xenova/multilingual-e5-small';
  const hidden = options.hiddenSize ?? 32;
  const dir = path.join(root, ...modelId.split('/'));
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });

  const vocab = buildVocabulary(options.vocabularyFrom);
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    }),
  );
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      architectures: ['BertModel'],
      model_type: 'bert',
      hidden_size: hidden,
      num_hidden_layers: 1,
      num_attention_heads: 1,
      intermediate_size: hidden,
      max_position_embeddings: 512,
      type_vocab_size: 2,
      vocab_size: vocab.length,
    }),
  );
  writeFileSync(path.join(dir, 'onnx', 'model_quantized.onnx'), modelBytes(vocab.length, hidden));
  return dir;
}

function buildVocabulary(texts: string[]): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const match of text.toLowerCase().matchAll(/[a-z0-9]+|\p{Script=Han}/gu)) words.add(match[0]);
  }
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
  const pieces = [...letters, ...letters.map((l) => `##${l}`)];
  return [...SPECIAL, ...new Set([...pieces, ...[...words].sort()])];
}

function tokenizerJson(vocab: string[]) {
  const special = (content: string) => ({
    id: vocab.indexOf(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const token = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [token('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, token('[SEP]')],
      pair: [token('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, token('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((piece, id) => [piece, id])),
    },
  };
}

/** out = (word[input_ids] + type[token_type_ids]) * attention_mask, as float [batch, seq, hidden]. */
function modelBytes(vocabSize: number, hidden: number): Uint8Array {
  const random = mulberry32(42);
  const wordWeights = Float32Array.from({ length: vocabSize * hidden }, () => random() * 2 - 1);
  const typeWeights = Float32Array.from({ length: 2 * hidden }, () => (random() * 2 - 1) * 0.01);
  for (let i = 0; i < hidden; i++) wordWeights[i] = 0; // [PAD]

  const tensor = (name: string, dims: number[], data: Float32Array | number[], dataType: number) =>
    onnx.TensorProto.create({
      name,
      dims,
      dataType,
      ...(dataType === onnx.TensorProto.DataType.FLOAT ? { floatData: Array.from(data) } : { int64Data: Array.from(data) }),
    });
  const int64Input = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.INT64,
          shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }] },
        },
      },
    });
  const node = (opType: string, input: string[], output: string[], attribute: object[] = []) =>
    onnx.NodeProto.create({ opType, input, output, attribute, name: output[0] });

  const graph = onnx.GraphProto.create({
    name: 'tiny-bert',
    input: [int64Input('input_ids'), int64Input('attention_mask'), int64Input('token_type_ids')],
    output: [
      onnx.ValueInfoProto.create({
        name: 'last_hidden_state',
        type: {
          tensorType: {
            elemType: onnx.TensorProto.DataType.FLOAT,
            shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }, { dimValue: hidden }] },
          },
        },
      }),
    ],
    initializer: [
      tensor('word_embeddings', [vocabSize, hidden], wordWeights, onnx.TensorProto.DataType.FLOAT),
      tensor('token_type_embeddings', [2, hidden], typeWeights, onnx.TensorProto.DataType.FLOAT),
      tensor('last_axis', [1], [-1], onnx.TensorProto.DataType.INT64),
    ],
    node: [
      node('Gather', ['word_embeddings', 'input_ids'], ['words']),
      node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
      node('Add', ['words', 'types'], ['embedded']),
      node('Cast', ['attention_mask'], ['mask_float'], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }]),
      node('Unsqueeze', ['mask_float', 'last_axis'], ['mask_3d']),
      node('Mul', ['embedded', 'mask_3d'], ['last_hidden_state']),
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'abstract-qa-tests',
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
