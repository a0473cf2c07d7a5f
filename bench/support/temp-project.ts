/**
 * A throw-away project folder for tests and benches: its own corpus (the shipped one by default), index and model folders,
 * so every test runs the real ingest, index and loader code on disk and nothing is shared between test files.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { writeTinyModel } from './tiny-model.js';

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** Options of {@link createTempProject}. */
export interface TempProjectOptions {
  /** Generate the tiny embedding model and point MODEL_DIR at it. @default false */
  withModel?: boolean;
  /** Files (absolute paths) to copy into the corpus instead of the shipped corpus. */
  corpusFiles?: string[];
  /** Extra settings, as environment variables. */
  env?: Record<string, string>;
}

/** A temp project and the config that points into it. */
export interface TempProject {
  root: string;
  config: AppConfig;
  corpusDir: string;
  cleanup(): void;
}

/** Creates the folder, copies the corpus, and (optionally) writes the tiny model in transformers.js layout. */
export function createTempProject(options: TempProjectOptions = {}): TempProject {
  const root = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-test-'));
  const corpusDir = path.join(root, 'corpus');
  mkdirSync(corpusDir);
  const files = options.corpusFiles ?? readdirSync(path.join(REPO_ROOT, 'corpus')).map((f) => path.join(REPO_ROOT, 'corpus', f));
  for (const file of files) cpSync(file, path.join(corpusDir, path.basename(file)));
  const env: Record<string, string> = {
    CORPUS_DIR: 'corpus',
    INDEX_DIR: 'index',
    MODEL_CACHE_DIR: 'cache',
    ALLOW_MODEL_DOWNLOAD: 'false',
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...options.env,
  };
  if (options.withModel) {
    const vocabularyFrom = files.map((f) => readFileSync(f, 'utf8'));
    writeTinyModel(path.join(root, 'models'), { vocabularyFrom });
    env.MODEL_DIR = 'models';
  }
  return { root, corpusDir, config: loadConfig(env, root), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
