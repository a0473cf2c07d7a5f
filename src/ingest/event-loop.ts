import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Returns a function to await inside long synchronous loops (chunking thousands of records, adding thousands of
 * vectors): it yields to the event loop once `budgetMs` of work has passed since the last yield, so a server
 * building its index in the background still answers `/health` and `/ask` within milliseconds.
 * @example
 * const pause = createYielder();
 * for (const record of records) { work(record); await pause(); }
 */
export function createYielder(budgetMs = 20): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < budgetMs) return;
    await nextTurn();
    last = performance.now();
  };
}
