import path from 'node:path';
import { readCorpus, type ReadCorpusResult } from '../../src/corpus/read-corpus.js';
import { formatReadIssue } from '../../src/corpus/record.js';

/** Folder of the hand-written format fixtures. */
export const fixturesDir = path.resolve(import.meta.dirname, '../fixtures/corpus');

/** Reads fixture files (paths relative to the fixtures folder) with the fixtures folder as root. */
export async function readFixture(...relative: string[]): Promise<ReadCorpusResult & { issueLines: string[] }> {
  const result = await readCorpus(relative.map((r) => path.join(fixturesDir, r)), { root: fixturesDir });
  return { ...result, issueLines: result.issues.map(formatReadIssue) };
}
