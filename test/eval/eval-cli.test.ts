import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../bench/support/temp-project.js';

const run = promisify(execFile);
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/eval/tiny');
const out = mkdtempSync(path.join(os.tmpdir(), 'eval-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function evalCli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/eval.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, MODEL_DIR: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run eval, end to end on the tiny fixture', () => {
  it('prints the figures per query group and writes the JSON report, TREC run and qrels', async () => {
    const { code, stdout, stderr } = await evalCli(['--data', FIXTURE, '--split', 'dev', '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/tiny dev lexical/);
    expect(stdout).toMatch(/nDCG@10\s+R@1\s+R@10\s+R@100\s+MRR@10/);
    expect(stdout).toMatch(/^overall\s+5\s+1\.0000\s+0\.9000\s+1\.0000\s+1\.0000\s+1\.0000$/m);
    expect(stdout).toMatch(/^keywords\s+2\s/m);
    expect(stdout).toMatch(/queries\/s/);
    expect(stderr).toMatch(/7 documents, 5 queries/);
    expect(readdirSync(out).sort()).toEqual(['tiny_dev_lexical.json', 'tiny_dev_lexical.qrels', 'tiny_dev_lexical.trec']);

    const report = JSON.parse(readFileSync(path.join(out, 'tiny_dev_lexical.json'), 'utf8'));
    expect(report).toMatchObject({ dataset: 'tiny', split: 'dev', mode: 'lexical', cutoff: 10, queries: 5 });
    expect(report.commit).toMatch(/^([0-9a-f]{7,}|unknown)$/);
    expect(report.overall).toEqual({ ndcg: 1, recall1: 0.9, recall10: 1, recall100: 1, mrr: 1 });
    expect(Object.keys(report.groups)).toEqual(['keywords', 'question']);
    expect(report.settings.tokenizer).toMatch(/^mixed-v\d+:zh=words/);

    const runLines = readFileSync(path.join(out, 'tiny_dev_lexical.trec'), 'utf8').trim().split('\n');
    expect(runLines[0]).toMatch(/^q-dev-1 Q0 tiny-en-1 1 \S+ abstract-qa-lexical$/);
    const qrels = readFileSync(path.join(out, 'tiny_dev_lexical.qrels'), 'utf8').trim().split('\n');
    expect(qrels).toContain('q-dev-3 0 tiny-en-2 1');
    expect(qrels).toHaveLength(6);
  });

  it('restricts each query to its meta.target_lang documents', async () => {
    const { code, stdout } = await evalCli(['--data', FIXTURE, '--split', 'test', '--out', out, '--tag', 'pool']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^zh→en first_sentence\s+1\s/m);
    const lines = readFileSync(path.join(out, 'tiny_test_lexical_pool.trec'), 'utf8').trim().split('\n');
    for (const line of lines) {
      const [query, , doc] = line.split(' ');
      const target = query === 'q-test-2' ? 'tiny-en-' : 'tiny-zh-';
      expect(doc!.startsWith(target), line).toBe(true);
    }
  });

  it('compares Chinese tokenizers: without segmentation the keyword queries find nothing', async () => {
    const { stdout } = await evalCli(['--data', FIXTURE, '--split', 'dev', '--zh', 'whitespace', '--no-write']);
    expect(stdout).toMatch(/whitespace-v1/);
    expect(stdout).toMatch(/^keywords\s+2\s+0\.0000/m);
  });

  it('fails with a clear message when a mode needs the model and none is there, or the data is not there', async () => {
    const dense = await evalCli(['--data', FIXTURE, '--split', 'dev', '--mode', 'dense', '--model-dir', path.join(out, 'no-models')]);
    expect(dense.code).toBe(1);
    expect(dense.stderr).toMatch(/--mode dense needs the embedding model: .*not found under MODEL_DIR/);
    const badSplit = await evalCli(['--data', FIXTURE, '--split', 'train']);
    expect(badSplit.stderr).toMatch(/--split dev\|test are required/);
    const noData = await evalCli(['--data', path.join(out, 'nowhere'), '--split', 'dev']);
    expect(noData.stderr).toMatch(/documents\.jsonl not found/);
    // Three CLI start-ups in a row: on a loaded two-core machine that alone can pass the default 60 s.
  }, 180_000);
});
