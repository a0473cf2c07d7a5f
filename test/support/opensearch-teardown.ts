/**
 * Vitest global setup: stops the test OpenSearch node this run started — never one given by URL, and never one
 * that was already answering on the test port when the run began (a developer's own `scripts/opensearch up`, or
 * another run's node, which `up` would merely reuse).
 */
import { spawnSync } from 'node:child_process';
import { OPENSEARCH_SCRIPT, TEST_PORT } from './opensearch-node.js';

export default async function setup(): Promise<() => void> {
  const runningBefore = await fetch(`http://127.0.0.1:${TEST_PORT}/_cluster/health`, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.ok,
    () => false,
  );
  return () => {
    if (!process.env.OPENSEARCH_TEST_URL && !runningBefore) spawnSync(OPENSEARCH_SCRIPT, ['down', '--port', String(TEST_PORT)], { stdio: 'inherit' });
  };
}
