/**
 * Where the real-model suites find their inputs, and why they skip when those are absent: the weights that
 * scripts/fetch-model builds under models/, and the shared data sets beside the repository (`../shared/data`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SHARED_DATA_DIR } from '../../bench/support/shared-data.js';
import { REPO_ROOT } from '../../bench/support/temp-project.js';

/** The model the real-model suites load. */
export const REAL_MODEL_ID = 'Xenova/multilingual-e5-small';

/** The model root scripts/fetch-model writes (`models/<org>/<name>/…`). */
export const REAL_MODEL_DIR = path.join(REPO_ROOT, 'models');

const weights = path.join('models', REAL_MODEL_ID, 'onnx', 'model_quantized.onnx');

/** Why the real-model suites cannot run here, or undefined when the weights are present. */
export const noWeightsReason: string | undefined = existsSync(path.join(REPO_ROOT, weights))
  ? undefined
  : `no weights at ${weights} (run scripts/fetch-model)`;

/** The shared data sets, found relative to the repository; undefined when absent. */
export const SHARED_DATA: string | undefined = existsSync(path.join(SHARED_DATA_DIR, 'scifact', 'documents.jsonl')) ? SHARED_DATA_DIR : undefined;

/** Why a data-set check cannot run here, or undefined when `../shared/data` is present. */
export const noSharedDataReason: string | undefined = SHARED_DATA ? undefined : '../shared/data not found beside the repository';

/** A suite name that carries the reason it is skipped, so the run's summary says why. */
export function skippable(name: string, reason: string | undefined): string {
  return reason ? `${name} [SKIPPED: ${reason}]` : name;
}
