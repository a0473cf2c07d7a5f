import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openServices } from '../../src/app/services.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';

let project: TempProject;
const lines: string[] = [];
const logger = createLogger('info', (line) => lines.push(line));

beforeAll(async () => {
  project = createTempProject({ withModel: true });
  await openServices(project.config, logger);
});
afterAll(() => project.cleanup());

async function reopen() {
  lines.length = 0;
  const services = await openServices(project.config, logger);
  return { services, log: lines.join('\n') };
}

describe('a damaged index is rebuilt, never a crash loop', () => {
  it.each([
    ['a truncated records.json', 'records.json', (file: string) => truncateSync(file, 100)],
    ['a manifest that is not JSON', 'manifest.json', (file: string) => writeFileSync(file, '{"formatVersion": 1, "counts":')],
    ['a truncated HNSW file', 'dense/hnswlib.index', (file: string) => truncateSync(file, 64)],
    ['lexical.json replaced by zeros', 'lexical.json', (file: string) => writeFileSync(file, Buffer.alloc(4096))],
    ['a truncated lexical.postings', 'lexical.postings', (file: string) => truncateSync(file, 1000)],
    ['sentence vectors cut short', 'sentences.f32', (file: string) => truncateSync(file, 0)],
    ['chunks.json that lost its tail', 'chunks.json', (file: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(/,\{[^{]*\}\]$/, ']'))],
  ])('%s: logs which file, rebuilds, and answers', async (_name, part, damage) => {
    damage(path.join(project.config.indexDir, part));
    const { services, log } = await reopen();
    expect(log).toMatch(new RegExp(`WARN .*index.*(${part.split('/').pop()}|inconsistent).*rebuilding it from the corpus`));
    expect(services.prepared.build?.reason).toBe('index unreadable');
    expect(services.index.records.length).toBe(62);
    const answer = await services.engine.ask({ question: 'strategies against CAR-T cell exhaustion' });
    expect(answer.grounded).toBe(true);
    // The rebuilt index is whole again: the next start loads it without a rebuild.
    const again = await reopen();
    expect(again.services.prepared.build).toBeUndefined();
  });
});
