/** Moved to bench/support/tiny-model.ts (benches need it too, and nothing outside test/ imports test/); import it from there. */
export * from '../../bench/support/tiny-model.js';
