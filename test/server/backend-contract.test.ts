/**
 * One API contract, two backends: the same `/ask`, `/ask/stream`, `/records`, `/records/:id` and `/health` tests run
 * against the embedded index and against a real OpenSearch node (never a mock) holding the same shipped corpus, and
 * both answer the same questions with the same words and citations.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestIntoCluster, openClusterServices, type ClusterServices } from '../../src/app/cluster-services.js';
import { createLogger } from '../../src/logger.js';
import { createOpenSearchClient, indexNames } from '../../src/ingest/opensearch/connection.js';
import { deleteIndexes } from '../../src/ingest/opensearch/layout.js';
import { syncOpenSearchIndex } from '../../src/ingest/opensearch/sync-index.js';
import { createApp } from '../../src/server/app.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';
import { describeApiContract, postJson } from '../support/api-contract.js';
import { openSearchForTests, suiteName } from '../support/opensearch-node.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const node = await openSearchForTests();
const silent = createLogger('silent');

/** Questions both backends must answer alike: grounded and refused, English and Chinese, with and without filters. */
const QUESTIONS: Array<{ question: string; filters?: Record<string, unknown> }> = [
  { question: 'What strategies can prevent or reverse CAR-T cell exhaustion?' },
  { question: '如何逆转CAR-T细胞耗竭？' },
  { question: 'PD-1 blockade in tumours' },
  { question: 'How does radiotherapy combined with checkpoint blockade activate anti-tumour immunity?' },
  { question: '放疗联合免疫检查点阻断如何激活抗肿瘤免疫？' },
  { question: 'What is the best recipe for sourdough bread?' },
  { question: 'T cell exhaustion', filters: { language: 'zh' } },
  { question: 'CAR-T cell exhaustion', filters: { year_from: 2024, year_to: 2024 } },
];

let embedded: TestServer;
beforeAll(async () => {
  embedded = await startTestServer();
});
afterAll(() => embedded?.close());

describeApiContract('embedded backend', () => ({ url: embedded.url, backend: 'embedded' }));

describe.skipIf(!node.url)(suiteName('OpenSearch backend (real node)', node), () => {
  let project: TempProject;
  let services: ClusterServices;
  let server: RunningServer;

  beforeAll(async () => {
    const env = { SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: node.url!, OPENSEARCH_INDEX: `contract-${randomUUID().slice(0, 8)}` };
    project = createTempProject({ env });
    const ingest = await ingestIntoCluster(project.config, silent, { lexicalOnly: true });
    expect(ingest.sync.records).toBe(62);
    services = await openClusterServices(project.config, silent, { lexicalOnly: true });
    server = await startServer(createApp(services, { streamPaceMs: 0, readOnlyReason: 'read-only in this test' }), { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    const client = createOpenSearchClient(project.config.opensearch);
    await deleteIndexes(client, indexNames(project.config.opensearch.indexPrefix)).catch(() => undefined);
    await client.close();
    await services?.close?.();
    project?.cleanup();
  });

  describeApiContract('OpenSearch backend', () => ({ url: server.url, backend: 'opensearch' }));

  // BM25F on OpenSearch normalises length per combined field, not per field (see layout.ts), so two records close in
  // score can swap places; where the records come in the same order, the answer must be the same to the character.
  it('answers as the embedded backend does: word for word where the rankings agree, the same records where they do not', async () => {
    let identical = 0;
    for (const { question, filters } of QUESTIONS) {
      const body = { question, ...(filters && { filters }) };
      const [mine, theirs] = await Promise.all([postJson(server.url, '/ask', body), postJson(embedded.url, '/ask', body)]);
      const { retrieval: _a, ...cluster } = mine.body;
      const { retrieval: _b, ...local } = theirs.body;
      const ids = (answer: { citations: Array<{ id: string }> }) => answer.citations.map((c) => c.id);
      if (ids(cluster).join() === ids(local).join()) {
        expect(cluster, question).toEqual(local);
        identical++;
      } else {
        expect({ grounded: cluster.grounded, records: [...new Set(ids(cluster))].sort() }, question).toEqual({ grounded: local.grounded, records: [...new Set(ids(local))].sort() });
      }
    }
    expect(identical).toBeGreaterThanOrEqual(QUESTIONS.length - 1);
  });

  it('refuses uploads with 409 corpus_read_only, saying why', async () => {
    const response = await fetch(`${server.url}/documents`, { method: 'POST' });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: { code: 'corpus_read_only', message: 'read-only in this test' } });
  });

  it('refuses at start-up an index whose vectors come from another model than EMBEDDING_MODEL, naming both', async () => {
    const prefix = `othermodel-${randomUUID().slice(0, 8)}`;
    const client = createOpenSearchClient(project.config.opensearch);
    const names = indexNames(prefix);
    try {
      const records = [{ id: 'r1', title: 'A title', abstract: 'An abstract about T cells.', authors: [], language: 'en', sourceFile: 'x.txt', keywords: [] }];
      const vectors = async (texts: string[]) => texts.map(() => [1, 0, 0, 0]);
      await syncOpenSearchIndex({ client, names, records: records as never, tokenizer: createTokenizer(), chunking: { maxTokens: 380, overlapTokens: 60 }, model: { modelId: 'other/model', dimension: 4, vectors } });
      const withModel = createTempProject({ withModel: true, env: { SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: node.url!, OPENSEARCH_INDEX: prefix } });
      try {
        await expect(openClusterServices(withModel.config, silent)).rejects.toThrow(/holds vectors of other\/model \(4-d\) but EMBEDDING_MODEL is .+: set EMBEDDING_MODEL=other\/model/);
      } finally {
        withModel.cleanup();
      }
    } finally {
      await deleteIndexes(client, names);
      await client.close();
    }
  });
});
