import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server/app.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openServices } from '../../src/app/services.js';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';

const SEED_ID = 'doi-10.3870_j.issn.1672-0741.23.11.008';
let llm: FakeLlm;
let project: TempProject;
let server: RunningServer;
const warnings: string[] = [];

beforeAll(async () => {
  llm = await startFakeLlm();
  project = createTempProject({ env: { LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'fake-model' } });
  const logger = createLogger('warn', (line) => warnings.push(line));
  server = await startServer(createApp(await openServices(project.config, logger)), { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
  await llm?.close();
  project?.cleanup();
});

async function ask(body: object) {
  const response = await fetch(`${server.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

describe('with an LLM endpoint configured', () => {
  it('returns the generated answer with checked citations that quote the abstracts exactly', async () => {
    llm.reply = () => 'The review targets CAR-T exhaustion [1]. A claim with no source. It summarises strategies [1].';
    const body = await ask({ question: 'What strategies can reverse CAR-T cell exhaustion?' });
    expect(body.answer_mode).toBe('generated');
    expect(body.answer).toBe('The review targets CAR-T exhaustion [1]. It summarises strategies [1].');
    expect(body.citations).toHaveLength(1);
    expect(body.citations[0].id).toBe(SEED_ID);
    expect(body.grounded).toBe(true);
  });

  it('falls back to extractive quotes, and logs why, when the reply cites nothing', async () => {
    llm.reply = () => 'CAR-T cells are great. They cure everything.';
    const body = await ask({ question: 'What strategies can reverse CAR-T cell exhaustion?' });
    expect(body.answer_mode).toBe('extractive');
    expect(body.answer).toMatch(/\[1\]/);
    expect(warnings.some((w) => /generated answer not used, quoting instead: only 0 of 2/.test(w))).toBe(true);
  });

  it('never asks the model to answer what the corpus does not cover', async () => {
    const before = llm.requests.length;
    const body = await ask({ question: 'What is the best recipe for sourdough bread?' });
    expect(body.grounded).toBe(false);
    expect(body.answer_mode).toBe('extractive');
    expect(llm.requests.length).toBe(before);
  });

  it('lets the model rewrite a follow-up into a standalone question', async () => {
    llm.reply = (prompt) => (prompt.includes('Rewrite the last question') ? 'How can CAR-T cell exhaustion be reversed in solid tumors?' : 'NO_ANSWER');
    const body = await ask({ question: 'and in solid tumors?', history: ['What reverses CAR-T cell exhaustion?'] });
    expect(body.searched_question).toBe('How can CAR-T cell exhaustion be reversed in solid tumors?');
    expect(body.citations.map((c: { id: string }) => c.id)).toContain(SEED_ID);
  });
});
