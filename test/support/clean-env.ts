/**
 * Runs before every test file (vitest `setupFiles`): removes from the environment every setting `.env.example`
 * documents, so a caller's exported `MODEL_DIR`, `LLM_BASE_URL`, `PORT`… never reaches a test or the CLIs it spawns.
 * A test that depends on a setting sets it itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const example = readFileSync(path.resolve(import.meta.dirname, '../../.env.example'), 'utf8');
for (const [, name] of example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)) delete process.env[name!];
