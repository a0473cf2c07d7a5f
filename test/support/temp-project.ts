/** Moved to bench/support/temp-project.ts (benches need it too, and nothing outside test/ imports test/); import it from there. */
export * from '../../bench/support/temp-project.js';
