/**
 * A real 3-node OpenSearch cluster (scripts/opensearch up --nodes 3) with the shipped corpus in 2 shards + 1 replica,
 * served by the real app: one node is stopped while 8 clients ask `/ask`. Every answer must succeed by its first
 * retry, every record must still be there while the node is gone, and after it rejoins the cluster is green with
 * every record stored once.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@opensearch-project/opensearch';
import { ingestIntoCluster, openClusterServices, type ClusterServices } from '../../src/app/cluster-services.js';
import { createOpenSearchClient, indexNames } from '../../src/ingest/opensearch/connection.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server/app.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';
import { missingTools, OPENSEARCH_SCRIPT } from '../support/opensearch-node.js';

const PORT = Number(process.env.OPENSEARCH_FAILOVER_PORT ?? 9280);
const URLS = [0, 1, 2].map((i) => `http://127.0.0.1:${PORT + i}`).join(',');
// A loaded machine can take minutes per node to start; allow it rather than fail on time.
const env = { ...process.env, OPENSEARCH_WAIT_SECONDS: process.env.OPENSEARCH_WAIT_SECONDS ?? '600' };
const script = (...args: string[]) => promisify(execFile)(OPENSEARCH_SCRIPT, args, { timeout: 900_000, env });
const missing = missingTools();
if (missing) process.stderr.write(`NOT RUN: OpenSearch 3-node failover: ${missing}\n`);
const QUESTIONS = [
  'What strategies can prevent or reverse CAR-T cell exhaustion?',
  '如何逆转CAR-T细胞耗竭？',
  'PD-1 blockade in tumours',
  'How does radiotherapy combined with checkpoint blockade activate anti-tumour immunity?',
  'Does 4-1BB costimulation ameliorate T cell exhaustion?',
  'What is the best recipe for sourdough bread?',
];

describe.skipIf(Boolean(missing))(`OpenSearch 3-node failover under /ask load${missing ? ` — NOT RUN: ${missing}` : ''}`, () => {
  let project: TempProject;
  let services: ClusterServices;
  let server: RunningServer;
  let client: Client;
  let recordIds: string[];

  beforeAll(async () => {
    await script('up', '--nodes', '3', '--port', String(PORT));
    const prefix = `failover-${randomUUID().slice(0, 8)}`;
    project = createTempProject({ env: { SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: URLS, OPENSEARCH_INDEX: prefix, OPENSEARCH_SHARDS: '2', OPENSEARCH_REPLICAS: '1' } });
    const ingest = await ingestIntoCluster(project.config, createLogger('silent'), { lexicalOnly: true });
    recordIds = ingest.corpus.records.map((r) => r.id).sort();
    client = createOpenSearchClient(project.config.opensearch);
    await client.cluster.health({ wait_for_status: 'green', timeout: '120s' } as never);
    services = await openClusterServices(project.config, createLogger('silent'), { lexicalOnly: true });
    server = await startServer(createApp(services, { streamPaceMs: 0 }), { host: '127.0.0.1', port: 0 });
  }, 900_000);
  afterAll(async () => {
    await server?.close();
    await services?.close?.();
    await client?.close();
    project?.cleanup();
    await script('down', '--port', String(PORT));
  }, 120_000);

  it('stopping a node under /ask load fails no answer after its first retry and loses no record; it rejoins green', async () => {
    const expected = new Map<string, string>();
    for (const question of QUESTIONS) expected.set(question, (await ask(server.url, question)).body.answer);
    let stop = false;
    const outcomes = { ok: 0, retried: 0, failed: 0 };
    const errors: string[] = [];
    const worker = async (w: number) => {
      for (let i = w; !stop; i += 8) {
        const question = QUESTIONS[i % QUESTIONS.length]!;
        let reply = await ask(server.url, question);
        if (reply.status === 200) outcomes.ok++;
        else {
          reply = await ask(server.url, question);
          if (reply.status === 200) outcomes.retried++;
          else {
            outcomes.failed++;
            errors.push(`${reply.status} ${JSON.stringify(reply.body)}`);
          }
        }
        // Shards answered from a replica give the same answer as before the outage, not a partial one.
        if (reply.status === 200 && reply.body.answer !== expected.get(question)) errors.push(`changed answer to "${question}"`);
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = outcomes.ok + outcomes.retried;
    await script('down', '--port', String(PORT), '--node', '2');
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const duringOutage = outcomes.ok + outcomes.retried - before;
    const health = (await client.cluster.health({})).body as { status: string; number_of_nodes: number };
    const whileDown = await services.backend.counts();
    stop = true;
    await load;
    process.stdout.write(`failover: ${outcomes.ok} answers ok, ${outcomes.retried} ok on retry, ${outcomes.failed} failed; ${duringOutage} during the outage\n`);

    expect(errors).toEqual([]);
    expect(outcomes.failed).toBe(0);
    expect(duringOutage).toBeGreaterThan(0);
    expect(health.number_of_nodes).toBe(2);
    expect(health.status).toMatch(/yellow|green/);
    expect(whileDown.records).toBe(recordIds.length);

    await script('up', '--nodes', '3', '--port', String(PORT));
    const rejoined = (await client.cluster.health({ wait_for_status: 'green', wait_for_nodes: '3', timeout: '180s' } as never)).body as { status: string };
    expect(rejoined.status).toBe('green');
    expect(await storedIds(client, indexNames(project.config.opensearch.indexPrefix).records)).toEqual(recordIds);
    expect((await services.backend.counts()).records).toBe(recordIds.length);
  }, 900_000);
});

async function ask(base: string, question: string): Promise<{ status: number; body: any }> {
  try {
    const response = await fetch(`${base}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

async function storedIds(client: Client, index: string): Promise<string[]> {
  const response = await client.search({ index, size: 10_000, _source: false, body: { query: { match_all: {} } } } as never);
  return (response.body as { hits: { hits: Array<{ _id: string }> } }).hits.hits.map((h) => h._id).sort();
}
