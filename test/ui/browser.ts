/**
 * Shared set-up of the browser tests: Debian's Chromium driven by playwright-core (which ships no browser), and
 * the real server on a free port over a temp copy of the shipped corpus.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { REPO_ROOT } from '../../bench/support/temp-project.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/test-server.js';

export { startTestServer, type TestServer };

/** The browser the tests drive; CI installs it with `apt-get install -y chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go (git-ignored). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', '.artifacts', 'ui');

// Quiet, reproducible headless Chromium: no sandbox (containers run as root), no GPU, no background traffic.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A running browser with its own fresh profile folder. */
export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with a fresh `--user-data-dir`. A missing browser fails the test loudly: a skipped
 * browser suite would let CI pass without ever opening the page.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it (Debian: apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-chromium-'));
  // Playwright passes the profile as --user-data-dir; it refuses that flag in `args`.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1024, height: 800 },
    locale: 'en-US',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}


/**
 * Saves what the viewport shows as `test/.artifacts/ui/<name>.png` and returns its repo-relative path. The
 * viewport, not the full page: that is what the user sees, and full-page captures misplace the sticky question box.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return path.relative(REPO_ROOT, file);
}

/**
 * Records, on every DOM change of the thread, whether the last turn lists sources yet and how much answer text
 * it shows, so a test can see that the reply was rendered progressively (read back with {@link renderLog}).
 */
export async function watchRendering(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: Array<{ sources: boolean; answer: number }> = [];
    (window as unknown as { renderLog: typeof log }).renderLog = log;
    new MutationObserver(() => {
      const turn = document.querySelector('#turns > li.turn:last-child');
      if (!turn) return;
      log.push({ sources: turn.querySelector('.sources') !== null, answer: turn.querySelector('.answer')?.textContent?.length ?? 0 });
    }).observe(document.getElementById('turns')!, { childList: true, subtree: true, characterData: true });
  });
}

/** What {@link watchRendering} recorded. */
export function renderLog(page: Page): Promise<Array<{ sources: boolean; answer: number }>> {
  return page.evaluate(() => (window as unknown as { renderLog: Array<{ sources: boolean; answer: number }> }).renderLog);
}

/** Types a question into the box and sends it with Enter, as a keyboard user would. */
export async function askQuestion(page: Page, question: string): Promise<void> {
  const box = page.getByLabel(/Your question|您的问题/);
  await box.fill(question);
  await box.press('Enter');
}

/** The last turn of the thread, once its stream has finished (`done` or `error`). */
export async function lastFinishedTurn(page: Page) {
  const turn = page.locator('#turns > li.turn').last();
  await turn.and(page.locator('[data-state="done"], [data-state="error"]')).waitFor();
  return turn;
}

/** What {@link usePageFixture} gives a test file; read its fields inside tests (they are set by the hooks). */
export interface PageFixture {
  readonly server: TestServer;
  readonly browser: TestBrowser;
  readonly page: Page;
  /** Uncaught script errors of the current page. */
  readonly pageErrors: string[];
}

/**
 * Registers the hooks every browser test file needs: one real server and one Chromium per file, a fresh page at
 * `/` per test. With `failOnPageErrors`, a test fails when the page threw, since a script error can leave the page
 * half-working while assertions on visible text still pass.
 */
export function usePageFixture(options: { failOnPageErrors?: boolean; server?: TestServerOptions } = {}): PageFixture {
  const state = { pageErrors: [] as string[] } as { server: TestServer; browser: TestBrowser; page: Page; pageErrors: string[] };
  beforeAll(async () => {
    state.server = await startTestServer(options.server);
    state.browser = await launchBrowser();
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.server?.close();
  });
  beforeEach(async () => {
    state.pageErrors.length = 0;
    state.page = await state.browser.context.newPage();
    state.page.on('pageerror', (error) => state.pageErrors.push(error.message));
    await state.page.goto(state.server.url);
  });
  afterEach(async () => {
    await state.page?.close();
    if (options.failOnPageErrors) expect(state.pageErrors).toEqual([]);
  });
  return state;
}
