import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTempProject, REPO_ROOT } from '../../bench/support/temp-project.js';

const project = createTempProject();
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGTERM');
  project.cleanup();
});

describe('npm start (src/cli/start.ts)', () => {
  it('serves at once, indexes a fresh corpus in the background, warns loudly that it is lexical-only, and serves /ask', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        CORPUS_DIR: project.corpusDir,
        INDEX_DIR: path.join(project.root, 'index'),
        MODEL_CACHE_DIR: path.join(project.root, 'cache'),
        // The repo's own models/ (scripts/fetch-model) would otherwise be found: this test is about running without.
        MODEL_DIR: path.join(project.root, 'no-model'),
        ALLOW_MODEL_DOWNLOAD: 'false',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (data: Buffer) => {
        log += data.toString();
        const match = /serving .* at (http:\/\/\S+)/.exec(log);
        if (match) resolve(match[1]!);
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`start exited with ${code}:\n${log}`)));
    });
    // Serving starts before the corpus is read; the index arrives in the background.
    let health = await (await fetch(`${url}/health`)).json();
    for (let i = 0; i < 3000 && (health.records !== 62 || health.indexing); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = await (await fetch(`${url}/health`)).json();
    }
    expect(health).toMatchObject({ status: 'ok', retrieval: 'lexical', model: null, records: 62 });
    expect(health.indexing).toBeUndefined();
    expect(log).toMatch(/LEXICAL-ONLY MODE: embedding model Xenova\/multilingual-e5-small .*scripts\/fetch-model/);
    const response = await fetch(`${url}/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'What limits CAR-T cells in solid tumors?' }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).citations.length).toBeGreaterThan(0);

    // SIGTERM while a stream is running: the stream still ends with `done`, the log says so, and the exit code is 0.
    const stream = fetch(`${url}/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'CAR-T exhaustion' }) });
    const body = stream.then((r) => r.text());
    await stream;
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    expect(await body).toMatch(/event: done/);
    expect(await exited).toBe(0);
    expect(log).toMatch(/SIGTERM received[\s\S]*shut down cleanly/);
  }, 300_000); // spawns npm start and waits for its first build: minutes on a busy 2-core machine

  it('refuses to serve a non-loopback HOST without API keys, naming the two ways out', async () => {
    const refused = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, HOST: '0.0.0.0', PORT: '0', API_KEYS: '', ALLOW_OPEN_ACCESS: 'false', CORPUS_DIR: project.corpusDir, INDEX_DIR: path.join(project.root, 'index') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    refused.stderr!.on('data', (data: Buffer) => (output += data.toString()));
    const code = await new Promise<number | null>((resolve) => refused.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/Refusing to serve HOST=0\.0\.0\.0 without API keys.*API_KEYS.*ALLOW_OPEN_ACCESS=true/);
    expect(output).not.toMatch(/serving/);
  });
});
