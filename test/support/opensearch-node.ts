/**
 * The real OpenSearch node the backend tests run against: `OPENSEARCH_TEST_URL` when set (CI starts one with
 * `scripts/opensearch up`), else one this helper starts with the same script on port 9260 (reserved for tests;
 * stopped by the global teardown). Where Java or Maven is missing the answer is a reason, for describe.skipIf.
 */
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../bench/support/temp-project.js';

/** Port of the node the tests start themselves. */
export const TEST_PORT = Number(process.env.OPENSEARCH_TEST_PORT ?? 9260);
export const OPENSEARCH_SCRIPT = path.join(REPO_ROOT, 'scripts/opensearch');

/** A usable node, or why there is none. */
export type TestNode = { url: string; reason?: undefined } | { url?: undefined; reason: string };

/** Finds or starts the test node (idempotent; parallel test files share one). */
export async function openSearchForTests(): Promise<TestNode> {
  const given = process.env.OPENSEARCH_TEST_URL;
  if (given) {
    const ok = await fetch(`${given}/_cluster/health`).then((r) => r.ok, () => false);
    return ok ? { url: given } : { reason: `OPENSEARCH_TEST_URL=${given} does not answer` };
  }
  const missing = missingTools();
  if (missing) return { reason: missing };
  try {
    const { stdout } = await promisify(execFile)(OPENSEARCH_SCRIPT, ['up', '--port', String(TEST_PORT)], { timeout: 600_000 });
    return { url: stdout.trim().split('\n').pop()! };
  } catch (error) {
    return { reason: `scripts/opensearch up failed: ${String((error as { stderr?: string }).stderr ?? error).slice(-400)}` };
  }
}

/** Why OpenSearch cannot be assembled here, or undefined when Java 17+ and Maven are present. */
export function missingTools(): string | undefined {
  if (spawnSync('java', ['-version']).status !== 0) return 'Java not installed (apt-get install openjdk-17-jdk-headless)';
  if (spawnSync('mvn', ['-v']).status !== 0) return 'Maven not installed (apt-get install maven)';
  if (spawnSync('setpriv', ['--version']).status !== 0 && process.getuid?.() === 0) return 'setpriv missing (util-linux)';
  return undefined;
}

/** Label for a suite that may not run; a suite that will not run also says so on stderr, with the reason. */
export function suiteName(name: string, node: TestNode): string {
  if (node.url) return name;
  process.stderr.write(`NOT RUN: ${name}: ${node.reason}\n`);
  return `${name} — NOT RUN: ${node.reason}`;
}
