import { AnswerEngine } from '../answer/answer-engine.js';
import type { AppConfig } from '../config.js';
import { prepareIndex, type PrepareIndexOptions, type PreparedIndex } from '../ingest/prepare-index.js';
import type { Logger } from '../logger.js';
import { Retriever } from '../retrieve/retriever.js';
import { createTokenizer } from '../text/tokenize.js';
import type { AppServices } from './app.js';

/** Everything a running product holds: the prepared index and the services built on it. */
export interface OpenedServices extends AppServices {
  prepared: PreparedIndex;
  retriever: Retriever;
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
  const tokenizer = createTokenizer();
  const prepared = await prepareIndex({ config, tokenizer, logger, ...options });
  const retriever = new Retriever(prepared.index, tokenizer, prepared.model?.embeddings, { ef: config.hnswEf });
  const engine = new AnswerEngine(retriever, prepared.index, tokenizer, { defaultK: config.defaultK });
  return {
    prepared,
    retriever,
    engine,
    index: prepared.index,
    modelId: prepared.model && prepared.index.dense ? prepared.model.modelId : null,
    modelProblem: prepared.modelProblem,
    logger,
  };
}
