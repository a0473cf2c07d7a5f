/** Vitest global setup: stops the test OpenSearch node this run may have started (never one given by URL). */
import { spawnSync } from 'node:child_process';
import { OPENSEARCH_SCRIPT, TEST_PORT } from './opensearch-node.js';

export default function setup(): () => void {
  return () => {
    if (!process.env.OPENSEARCH_TEST_URL) spawnSync(OPENSEARCH_SCRIPT, ['down', '--port', String(TEST_PORT)], { stdio: 'inherit' });
  };
}
