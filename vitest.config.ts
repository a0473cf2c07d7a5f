import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Native HNSW + ONNX runtimes are heavy; two cores means two forks at most.
    pool: 'forks',
    maxWorkers: 2,
    // Tests never read the caller's settings (e.g. an exported MODEL_DIR); each sets what it depends on.
    setupFiles: ['./test/support/clean-env.ts'],
    globalSetup: ['./test/support/opensearch-teardown.ts'],
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
