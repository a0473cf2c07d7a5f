/**
 * A real 3-node OpenSearch cluster (scripts/opensearch up --nodes 3), indexes with 2 shards + 1 replica: one node
 * is stopped while a load of searches and record lookups runs. Every request must succeed by its first retry, and
 * no record may be missing while the node is gone or after it rejoins.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@opensearch-project/opensearch';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import type { AbstractRecord } from '../../src/corpus/record.js';
import { createOpenSearchClient, indexNames } from '../../src/ingest/opensearch/connection.js';
import { syncOpenSearchIndex } from '../../src/ingest/opensearch/sync-index.js';
import { OpenSearchBackend } from '../../src/retrieve/opensearch-backend.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { missingTools, OPENSEARCH_SCRIPT } from '../support/opensearch-node.js';
import { REPO_ROOT } from '../support/temp-project.js';

const PORT = Number(process.env.OPENSEARCH_FAILOVER_PORT ?? 9280);
// A loaded machine can take minutes per node to start; allow it rather than fail on time.
const env = { ...process.env, OPENSEARCH_WAIT_SECONDS: process.env.OPENSEARCH_WAIT_SECONDS ?? '900' };
const script = (...args: string[]) => promisify(execFile)(OPENSEARCH_SCRIPT, args, { timeout: 1_200_000, env });
const missing = missingTools();
if (missing) process.stderr.write(`NOT RUN: OpenSearch 3-node failover: ${missing}\n`);

describe.skipIf(Boolean(missing))(`OpenSearch 3-node failover${missing ? ` — NOT RUN: ${missing}` : ''}`, () => {
  let client: Client;
  let records: AbstractRecord[];
  const tokenizer = createTokenizer();
  const names = indexNames(`aqa-failover-${randomUUID().slice(0, 8)}`);

  beforeAll(async () => {
    await script('up', '--nodes', '3', '--port', String(PORT));
    // Every node's URL: the client moves a request to the next node when one stops answering.
    client = createOpenSearchClient({ url: [0, 1, 2].map((i) => `http://127.0.0.1:${PORT + i}`).join(','), indexPrefix: 'unused', verifyTls: true });
    records = (await readCorpus([`${REPO_ROOT}/corpus`], { root: `${REPO_ROOT}/corpus` })).records;
    await syncOpenSearchIndex({ client, names, records, tokenizer, chunking: { maxTokens: 380, overlapTokens: 60 }, shards: 2, replicas: 1 });
    await client.cluster.health({ wait_for_status: 'green', timeout: '120s' } as never);
  }, 1_200_000);
  afterAll(async () => {
    await client?.close();
    await script('down', '--port', String(PORT));
  }, 120_000);

  it('stopping a node under load fails no request after its first retry and loses no record; it rejoins green', async () => {
    const backend = await OpenSearchBackend.open(client, names);
    const questions = records.slice(0, 20).map((r) => r.title);
    let stop = false;
    const outcomes = { ok: 0, retried: 0, failed: 0 };
    const errors: string[] = [];
    const request = async (i: number) => {
      const terms = new Map(tokenizer.tokenize(questions[i % questions.length]!).map((t) => [t, 1]));
      const hits = await backend.lexical(terms, 10);
      const found = await backend.records(hits.map((h) => h.recordId));
      if (hits.length === 0 || found.length === 0) throw new Error(`no hits for "${questions[i % questions.length]}"`);
    };
    const worker = async (w: number) => {
      for (let i = w; !stop; i += 8) {
        try {
          await request(i);
          outcomes.ok++;
        } catch {
          try {
            await request(i);
            outcomes.retried++;
          } catch (error) {
            outcomes.failed++;
            errors.push(String(error));
          }
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = outcomes.ok;
    await script('down', '--port', String(PORT), '--node', '2');
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const duringOutage = outcomes.ok + outcomes.retried - before;
    const health = (await client.cluster.health({})).body as { status: string; number_of_nodes: number };
    const whileDown = await backend.counts();
    stop = true;
    await load;

    expect(errors).toEqual([]);
    expect(outcomes.failed).toBe(0);
    expect(duringOutage).toBeGreaterThan(0);
    expect(health.number_of_nodes).toBe(2);
    expect(health.status).toMatch(/yellow|green/);
    expect(whileDown.records).toBe(records.length);

    await script('up', '--nodes', '3', '--port', String(PORT));
    const rejoined = (await client.cluster.health({ wait_for_status: 'green', wait_for_nodes: '3', timeout: '180s' } as never)).body as { status: string };
    expect(rejoined.status).toBe('green');
    expect((await backend.counts()).records).toBe(records.length);
    expect(await storedIds(client, names.records)).toEqual(records.map((r) => r.id).sort());
    process.stdout.write(`failover: ${outcomes.ok} ok, ${outcomes.retried} ok on retry, ${outcomes.failed} failed; ${duringOutage} during the outage\n`);
  }, 1_200_000);
});

async function storedIds(client: Client, index: string): Promise<string[]> {
  const response = await client.search({ index, size: 10_000, _source: false, body: { query: { match_all: {} } } } as never);
  return (response.body as { hits: { hits: Array<{ _id: string }> } }).hits.hits.map((h) => h._id).sort();
}
