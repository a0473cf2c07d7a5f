/**
 * Property-based fuzzing of the `/ask` and `/ask/stream` bodies against the real server: arbitrary bytes, arbitrary
 * JSON and near-valid bodies always get 200 or a 4xx `{error: {code, message}}`, never a 5xx or a dropped connection.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, fuzzParameters, reportCases } from '../support/fuzz.js';

const CODES_4XX = new Set(['invalid_json', 'invalid_request', 'payload_too_large']);
let server: TestServer;

beforeAll(async () => {
  // Limits off: a thousand requests in seconds is this test's point, not abuse.
  server = await startTestServer({ env: { RATE_LIMIT_PER_MIN: '0', MAX_CONCURRENT: '0' } });
});
afterAll(() => server?.close());

const anyValue = fc.jsonValue({ maxDepth: 3 });
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', '   ', 'CAR-T', '如何逆转CAR-T细胞耗竭？', '\uD800', 'x'.repeat(2001)));
// Bodies near the schema, so most fields are right and one is wrong (or all are right).
const nearValid = fc
  .record(
    {
      question: fc.oneof(text, anyValue),
      k: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.double(), anyValue),
      filters: fc.oneof(
        fc.record({ year_from: fc.oneof(fc.integer({ min: 900, max: 3100 }), anyValue), year_to: fc.integer({ min: 900, max: 3100 }), journal: text, language: fc.oneof(fc.constantFrom('en', 'zh', 'EN', 'eng'), text) }, { requiredKeys: [] }),
        anyValue,
      ),
      history: fc.oneof(fc.array(fc.oneof(text, fc.record({ question: text }), anyValue), { maxLength: 8 }), anyValue),
      top_k: anyValue,
    },
    { requiredKeys: [] },
  )
  .map((body) => JSON.stringify(body));
const body = fc.oneof(
  { arbitrary: nearValid, weight: 5 },
  { arbitrary: anyValue.map((v) => JSON.stringify(v)), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 500 }), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 500 }), weight: 1 },
  { arbitrary: fc.constantFrom('{"question": "x", "padding": "' + 'y'.repeat(40_000) + '"}', '{"question":"CAR-T","question":"dup"}', '[]', 'null', '{"question": "\\ud800"}'), weight: 1 },
);

describe('/ask bodies under fuzzing', () => {
  it.each(['/ask', '/ask/stream'])('%s: every body gets 200 or a clean 4xx JSON error, never 5xx', async (route) => {
    const statuses = new Map<number, number>();
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), async (payload, type) => {
        cases++;
        const response = await fetch(server.url + route, { method: 'POST', headers: { 'content-type': type }, body: payload });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 200) {
          const text = await response.text();
          if (route === '/ask') expect(JSON.parse(text)).toHaveProperty('answer');
          else expect(text).toMatch(/event: (done|error)/);
          expect(text).not.toMatch(/"code":"internal_error"/);
          return;
        }
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        const error = (await response.json()).error;
        expect(CODES_4XX.has(error.code), `${response.status} ${error.code}`).toBe(true);
        expect(error.message.length).toBeGreaterThan(0);
        expect(error.message).not.toMatch(/at .*\.ts:\d+/);
      }),
      fuzzParameters(),
    );
    expect(cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
    // Both outcomes are exercised: real answers and refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    reportCases(`POST ${route}`, cases);
  }, FUZZ_TIMEOUT_MS);
});
