/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after vitest's own summary: CI reads that
 * line, while vitest's summary is in a format it does not recognise. Above it, one line per group of skipped tests
 * names where they are and why (the reason is in the suite's name or the `ctx.skip(note)`), so a run that could not
 * exercise something says so instead of counting it as passed.
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedGroups = new Map<string, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed++;
        else if (result.state === 'failed') failed++;
        else {
          skipped++;
          const group = skipGroup(module, test, result.state === 'skipped' ? result.note : undefined);
          skippedGroups.set(group, (skippedGroups.get(group) ?? 0) + 1);
        }
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    const lines = [...skippedGroups].map(([group, count]) => `skipped ${count}: ${group}`);
    process.stdout.write(`\n${lines.map((l) => `${l}\n`).join('')}tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

/** `file > outermost suite` (where a skipIf reason lives), or the test itself with its skip note. */
function skipGroup(module: TestModule, test: TestCase, note: string | undefined): string {
  let suite = test.parent;
  while (suite.type === 'suite' && suite.parent.type === 'suite') suite = suite.parent;
  const where = suite.type === 'suite' ? `${module.relativeModuleId} > ${suite.name}` : module.relativeModuleId;
  return note ? `${where} > ${test.name}: ${note}` : where;
}
