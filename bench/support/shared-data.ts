/**
 * The shared evaluation data sets (`../shared/data`, beside the repository). Benches find them relative to the
 * repository or take `--data`; the product itself never reads them.
 */
import path from 'node:path';
import { REPO_ROOT } from './temp-project.js';

/** `../shared/data` resolved from the repository root. */
export const SHARED_DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');
