import { AnswerEngine, type AnswerEngineOptions } from '../answer/answer-engine.js';
import { backendTermWeights } from '../answer/evidence.js';
import { createTermCarryOver } from '../answer/follow-up.js';
import type { SearchIndex } from '../ingest/index-store.js';
import type { LoadedModel } from '../ingest/model-loader.js';
import type { SentenceVectorSource } from '../ingest/sentence-vectors.js';
import { ConfigError, type AppConfig } from '../config.js';
import { prepareIndex, type PrepareIndexOptions, type PreparedIndex } from '../ingest/prepare-index.js';
import type { Logger } from '../logger.js';
import { Retriever } from '../retrieve/retriever.js';
import type { SearchBackend } from '../retrieve/search-backend.js';
import { createTokenizer, type Tokenizer } from '../text/tokenize.js';
import type { AppServices } from '../server/app.js';

/** Everything a running product holds: the prepared index and the services built on it. */
export interface OpenedServices extends AppServices {
  prepared: PreparedIndex;
  retriever: Retriever;
  /** The in-process index served (the embedded backend's). */
  index: SearchIndex;
}

/**
 * Prepares the index (building it when missing or stale) and wires retrieval and answering on top. Shared by
 * `npm start`, `npm run ask` and the tests, so all three run the same path.
 */
export async function openServices(
  config: AppConfig,
  logger: Logger,
  options: Pick<PrepareIndexOptions, 'force' | 'lexicalOnly' | 'onBuildProgress' | 'onCorpusProgress'> = {},
): Promise<OpenedServices> {
  if (config.searchBackend === 'opensearch') {
    // This opens the local index; refused rather than silently serving it when the cluster was asked for.
    throw new ConfigError('SEARCH_BACKEND=opensearch: the cluster is opened by openClusterServices (src/app/cluster-services.ts), not the local index');
  }
  await loadLlmSupport(config);
  const tokenizer = createTokenizer();
  const prepared = await prepareIndex({ config, tokenizer, logger, ...options });
  return { prepared, ...wireServices({ config, logger, tokenizer, index: prepared.index, model: prepared.model, modelProblem: prepared.modelProblem }) };
}

/** Inputs of {@link wireServices}. */
export interface WireServicesOptions {
  config: AppConfig;
  logger: Logger;
  tokenizer: Tokenizer;
  index: SearchIndex;
  model?: LoadedModel;
  modelProblem?: string;
}

/** Services wired over one in-process index. */
export type WiredServices = Omit<OpenedServices, 'prepared'>;

/** Retrieval and answering over one index: a consistent set a request reads from start to end. */
export function wireServices(options: WireServicesOptions): WiredServices {
  const { config, logger, tokenizer, index, model } = options;
  const retriever = new Retriever(index, tokenizer, model?.embeddings, { ef: config.hnswEf });
  // Semantic evidence only alongside a dense index: a model that did not embed the corpus was not meant to be used.
  const embedder = index.dense ? model?.embeddings : undefined;
  const engine = new AnswerEngine(retriever, tokenizer, {
    defaultK: config.defaultK,
    embedder,
    sentenceVectors: usableSentenceVectors(retriever.backend, model),
    ...llmOptions(config, tokenizer, retriever.backend, logger),
  });
  return {
    retriever,
    engine,
    index,
    collection: retriever.backend,
    modelId: model && index.dense ? model.modelId : null,
    modelProblem: options.modelProblem,
    logger,
  };
}

/**
 * The backend's stored sentence vectors when the model embedding questions is the one that made them (else the
 * answer step embeds sentences itself).
 */
export function usableSentenceVectors(backend: SearchBackend, model: LoadedModel | undefined): SentenceVectorSource | undefined {
  const stored = backend.sentenceVectors;
  return model && stored?.settings.modelId === model.modelId && stored.settings.dimension === model.dimension ? stored : undefined;
}

type LlmSupport = typeof import('../answer/llm/chat-model.js') & typeof import('../answer/llm/rewrite-question.js');
// Modules, not state: LangChain's OpenAI client takes ~2 s to import, which a server without an LLM endpoint (the
// default) should not spend before it can answer.
let llmSupport: LlmSupport | undefined;

/** Loads the LLM client when `config.llm` is set; {@link wireServices} needs it for such a config. */
export async function loadLlmSupport(config: AppConfig): Promise<void> {
  if (!config.llm || llmSupport) return;
  const [chat, rewrite] = await Promise.all([import('../answer/llm/chat-model.js'), import('../answer/llm/rewrite-question.js')]);
  llmSupport = { ...chat, ...rewrite };
}

/**
 * Generated answers and question rewriting, when an LLM endpoint is configured ({@link loadLlmSupport} first).
 * The model writes answers (citation-checked) and rewrites follow-ups; either falls back to the extractive path on
 * failure, and says so in the log.
 */
export function llmOptions(config: AppConfig, tokenizer: Tokenizer, backend: SearchBackend, logger: Logger): AnswerEngineOptions {
  if (!config.llm) return {};
  if (!llmSupport) throw new Error('an LLM endpoint is configured: await loadLlmSupport(config) before wiring services');
  const { createChatModel, createLlmRewriter } = llmSupport;
  const model = createChatModel(config.llm);
  logger.info(`generated answers via ${config.llm.model} at ${config.llm.baseUrl} (checked against their citations)`);
  const carryOver = createTermCarryOver(tokenizer, backendTermWeights(backend));
  return {
    generator: { model, onFallback: (reason) => logger.warn(`generated answer not used, quoting instead: ${reason}`) },
    rewriter: createLlmRewriter(model, carryOver, (error) => logger.warn(`question rewrite failed: ${String(error)}`)),
  };
}
