import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server/app.js';
import { startServices, type LiveServices } from '../../src/app/live-services.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { startHubServer, type HubServer } from '../support/hub-server.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../../bench/support/temp-project.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';

// npm start's path: the server answers from the first moment, lexically while the model is still downloading
// (a real HTTP hub held open by the test), then hybrid once the dense index is built and swapped in.
let project: TempProject;
let hub: HubServer;
let live: LiveServices;
let server: RunningServer;
const lines: string[] = [];

beforeAll(async () => {
  const shipped = readdirSync(path.join(REPO_ROOT, 'corpus')).map((f) => readFileSync(path.join(REPO_ROOT, 'corpus', f), 'utf8'));
  project = createTempProject();
  const hubRoot = path.join(project.root, 'hub');
  writeTinyModel(hubRoot, { vocabularyFrom: shipped });
  hub = await startHubServer(hubRoot);
  mkdirSync(path.join(project.root, 'no-model'));
  const config = loadConfig(
    {
      CORPUS_DIR: 'corpus',
      INDEX_DIR: 'index',
      MODEL_DIR: 'no-model',
      MODEL_CACHE_DIR: 'cache',
      ALLOW_MODEL_DOWNLOAD: 'true',
      MODEL_HUB_URL: hub.url,
      MODEL_BUILD_COMMAND: '',
    },
    project.root,
  );
  hub.hold();
  live = startServices(config, createLogger('info', (line) => lines.push(line)), { logEverySeconds: 0.05 });
  server = await startServer(createApp(live), { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  hub.release();
  await live.close();
  await server.close();
  await hub.close();
  project.cleanup();
});

const health = async () => (await fetch(`${server.url}/health`)).json();
const ask = async (question: string) =>
  (await fetch(`${server.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) })).json();

describe('serving while the index is built', () => {
  it('answers /health at once, then lexically over the corpus while the model downloads', async () => {
    const first = await health();
    expect(first.status).toBe('ok');
    expect(first.indexing).toBeDefined();

    let h = first;
    while (h.records !== 62) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      h = await health();
    }
    // The hub is held: the build is stuck acquiring the model, and says so.
    expect(h.retrieval).toBe('lexical');
    expect(h.indexing).toMatchObject({ phase: 'model', done: expect.any(Number), total: expect.any(Number), rate: expect.any(Number) });
    const answer = await ask('What limits CAR-T cells in solid tumors?');
    expect(answer.retrieval.mode).toBe('lexical');
    expect(answer.citations.length).toBeGreaterThan(0);
  });

  it('swaps in the hybrid index once the model has arrived and the passages are embedded', async () => {
    hub.release();
    await live.idle();
    const h = await health();
    expect(h).toMatchObject({ retrieval: 'hybrid', model: 'Xenova/multilingual-e5-small', records: 62 });
    expect(h.indexing).toBeUndefined();
    expect(h.warning).toBeUndefined();
    const answer = await ask('What limits CAR-T cells in solid tumors?');
    expect(answer.retrieval.mode).toBe('hybrid');
    expect(lines.some((l) => /indexing: model 0\/0/.test(l))).toBe(true);
    // Every chunk and its short views (sentence windows) embedded: more passages than the 85 chunks.
    const built = lines.map((l) => /index built in .*: 62 records, 85 chunks, .* (\d+) chunk\(s\) embedded, (\d+) from the vector cache/.exec(l)).find(Boolean);
    expect(built).toBeDefined();
    expect(Number(built![1]) + Number(built![2])).toBeGreaterThan(85);
  });

  it('re-indexes in the background after the corpus changes, keeping every vector it already has', async () => {
    const added = { id: 'added-1', title: 'Tonic signalling in CAR-T cells', abstract: 'CAR-T cells with tonic signalling become exhausted in solid tumors.' };
    writeFileSync(path.join(project.corpusDir, 'added.jsonl'), `${JSON.stringify(added)}\n`);
    lines.length = 0;
    await live.reindex();
    const h = await health();
    expect(h).toMatchObject({ retrieval: 'hybrid', records: 63 });
    expect(lines.some((l) => /1 record\(s\) new or changed, 1 chunk\(s\) embedded/.test(l))).toBe(true);
    const record = await (await fetch(`${server.url}/records/added-1`)).json();
    expect(record.title).toBe(added.title);
  });
});
