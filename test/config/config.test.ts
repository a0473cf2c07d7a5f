import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({}, '/project');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      corpusDir: '/project/corpus',
      indexDir: '/project/index',
      modelDir: undefined,
      embeddingModel: 'Xenova/multilingual-e5-small',
      allowModelDownload: true,
      hnswEf: 100,
    });
  });

  it('reads .env and lets the environment win over it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-config-'));
    try {
      writeFileSync(path.join(dir, '.env'), 'PORT=4000\nMODEL_DIR=models\nALLOW_MODEL_DOWNLOAD=false\n');
      const saved = process.env.PORT;
      process.env.PORT = '5000';
      try {
        const config = loadConfig(undefined, dir);
        expect(config.port).toBe(5000);
        expect(config.modelDir).toBe(path.join(dir, 'models'));
        expect(config.allowModelDownload).toBe(false);
      } finally {
        if (saved === undefined) delete process.env.PORT;
        else process.env.PORT = saved;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds a model that scripts/fetch-model put in models/ when MODEL_DIR is not set', async () => {
    const { mkdirSync } = await import('node:fs');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-config-'));
    try {
      expect(loadConfig({}, dir).modelDir).toBeUndefined();
      mkdirSync(path.join(dir, 'models', 'Xenova', 'multilingual-e5-small'), { recursive: true });
      writeFileSync(path.join(dir, 'models', 'Xenova', 'multilingual-e5-small', 'config.json'), '{}');
      expect(loadConfig({}, dir).modelDir).toBe(path.join(dir, 'models'));
      expect(loadConfig({ MODEL_DIR: 'elsewhere' }, dir).modelDir).toBe(path.join(dir, 'elsewhere'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every invalid setting', () => {
    expect(() => loadConfig({ PORT: 'eighty', ALLOW_MODEL_DOWNLOAD: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', ALLOW_MODEL_DOWNLOAD: 'maybe' })).toThrow(/PORT: .*ALLOW_MODEL_DOWNLOAD: /);
  });

  it('documents every setting in .env.example with its default', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(path.resolve(import.meta.dirname, '../../.env.example'), 'utf8');
    const documented = Object.fromEntries(
      example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    for (const name of ['HOST', 'PORT', 'CORPUS_DIR', 'INDEX_DIR', 'MODEL_DIR', 'EMBEDDING_MODEL', 'ALLOW_MODEL_DOWNLOAD']) {
      expect(documented).toHaveProperty(name);
    }
    // The example, loaded as it is, yields exactly the defaults.
    expect(loadConfig(documented, '/p')).toEqual(loadConfig({}, '/p'));
  });
});

describe('search backend settings', () => {
  it('defaults to the embedded backend and a local OpenSearch with TLS verification on', () => {
    const config = loadConfig({}, '/tmp');
    expect(config.searchBackend).toBe('embedded');
    expect(config.opensearch).toEqual({
      url: 'http://127.0.0.1:9200',
      indexPrefix: 'abstract-qa',
      username: undefined,
      password: undefined,
      verifyTls: true,
      shards: 1,
      replicas: 0,
    });
  });

  it('reads the OpenSearch settings and refuses an unknown backend or an invalid index prefix', () => {
    const config = loadConfig({ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'https://a:9200,https://b:9200', OPENSEARCH_VERIFY_TLS: 'false', OPENSEARCH_REPLICAS: '1' }, '/tmp');
    expect(config.searchBackend).toBe('opensearch');
    expect(config.opensearch).toMatchObject({ url: 'https://a:9200,https://b:9200', verifyTls: false, replicas: 1 });
    expect(() => loadConfig({ SEARCH_BACKEND: 'solr' }, '/tmp')).toThrow(/SEARCH_BACKEND/);
    expect(() => loadConfig({ OPENSEARCH_INDEX: 'Has Spaces' }, '/tmp')).toThrow(/OPENSEARCH_INDEX/);
  });
});

describe('SEARCH_BACKEND=opensearch', () => {
  it('is never silently served from the local index: openServices refuses it, naming what opens the cluster', async () => {
    const { openServices } = await import('../../src/app/services.js');
    const { createLogger } = await import('../../src/logger.js');
    const config = loadConfig({ SEARCH_BACKEND: 'opensearch', LOG_LEVEL: 'silent' }, '/tmp');
    await expect(openServices(config, createLogger('silent'))).rejects.toThrow(/SEARCH_BACKEND=opensearch: the cluster is opened by openClusterServices/);
  });

  it('is refused at start-up in one line when no cluster answers at OPENSEARCH_URL', async () => {
    const { openClusterServices } = await import('../../src/app/cluster-services.js');
    const { createLogger } = await import('../../src/logger.js');
    // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    const config = loadConfig({ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent' }, '/tmp');
    await expect(openClusterServices(config, createLogger('silent'))).rejects.toThrow(/OpenSearch at http:\/\/127.0.0.1:9 did not answer .*scripts\/opensearch up/);
  });
});
