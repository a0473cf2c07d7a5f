import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTempProject, REPO_ROOT } from '../../bench/support/temp-project.js';

const fixtures = path.join(REPO_ROOT, 'test/fixtures/corpus');
const projects: Array<{ cleanup(): void }> = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

function runIngest(project: { root: string; corpusDir: string }, args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/ingest.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, CORPUS_DIR: project.corpusDir, INDEX_DIR: path.join(project.root, 'index'), ALLOW_MODEL_DOWNLOAD: 'false', MODEL_CACHE_DIR: path.join(project.root, 'cache'), MODEL_DIR: path.join(project.root, 'no-model'), LOG_LEVEL: 'info' },
  });
}

describe('npm run ingest', () => {
  it('copies exports into the corpus, indexes them, reports skipped records as file:line and prints a summary', () => {
    const project = createTempProject({ corpusFiles: [] });
    projects.push(project);
    const result = runIngest(project, [
      path.join(fixtures, 'pubmed/efetch-sample.xml'),
      path.join(fixtures, 'ris/malformed.ris'),
      path.join(fixtures, 'csv/zotero-export.csv'),
    ]);
    expect(result.status).toBe(0);
    expect(readdirSync(project.corpusDir).sort()).toEqual(['efetch-sample.xml', 'malformed.ris', 'zotero-export.csv']);
    expect(result.stderr).toMatch(/skipped malformed\.ris:\d+: /);
    expect(result.stdout).toMatch(/^files: 3 {3}records: \d+ {3}skipped: [1-9]\d* {3}duplicates: \d+$/m);
    expect(result.stdout).toMatch(/^by format: .*pubmed-xml \d+/m);
    expect(result.stdout).toMatch(/^retrieval: LEXICAL ONLY/m);
    expect(result.stderr).toMatch(/reading files: 3\/3 .* records parsed/);
    expect(existsSync(path.join(project.root, 'index', 'manifest.json'))).toBe(true);
  });

  it('exits non-zero when nothing at all could be read', () => {
    const empty = createTempProject({ corpusFiles: [] });
    projects.push(empty);
    const result = runIngest(empty, []);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no record could be read/);
  });
});
