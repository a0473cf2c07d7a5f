import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../../src/app/services.js';
import { startServices, type LiveServices } from '../../src/app/live-services.js';
import { createLogger } from '../../src/logger.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';

// npm start over an index saved by an earlier run: keyword answers come from the saved index before anything else,
// hybrid ones as soon as the model is loaded, and only then is the corpus read to check the index is current.
let project: TempProject;
let live: LiveServices | undefined;
beforeAll(async () => {
  project = createTempProject({ withModel: true });
  await openServices(project.config, createLogger('silent'));
});
afterAll(async () => {
  await live?.close();
  project.cleanup();
});

describe('starting from a saved index', () => {
  it('serves it by keyword, then hybrid, before the corpus is read; the corpus check then finds it current', async () => {
    // Each log line with what was being served when it was written.
    const served: Array<{ line: string; modelId: string | null }> = [];
    const logger = createLogger('info', (line) => served.push({ line, modelId: live?.current().modelId ?? null }));
    live = startServices(project.config, logger);
    await live.idle();
    const at = (pattern: RegExp) => served.findIndex((entry) => pattern.test(entry.line));
    const lexical = at(/serving 62 abstracts \(lexical\) while the model is loaded and the corpus read/);
    const corpusRead = at(/corpus: 62 records/);
    expect(lexical).toBeGreaterThanOrEqual(0);
    expect(corpusRead).toBeGreaterThan(lexical);
    // When the corpus is read, hybrid answers are already being served.
    expect(served[corpusRead]!.modelId).toBe('Xenova/multilingual-e5-small');
    expect(at(/index is current: 62 records/)).toBeGreaterThan(corpusRead);
    expect(served.some((entry) => /building index/.test(entry.line))).toBe(false);
    const answer = await live.current().engine.ask({ question: 'What limits CAR-T cells in solid tumors?' });
    expect(answer.retrieval.mode).toBe('hybrid');
    expect(answer.citations.length).toBeGreaterThan(0);
  });
});
