/**
 * The page against a server that needs an API key, in a real browser: it asks once, keeps the key for the tab,
 * asks again (saying why) when the key is refused, and explains other refusals in the page's language.
 */
import { describe, expect, it } from 'vitest';
import { askQuestion, lastFinishedTurn, screenshot, usePageFixture } from './browser.js';

const fixture = usePageFixture({ failOnPageErrors: true, server: { env: { API_KEYS: 'lab-key-123' } } });

describe('chat page with API keys on', () => {
  it('asks for the key once, answers with it, and keeps it for the tab across a reload', async () => {
    const { page } = fixture;
    const dialog = page.getByRole('dialog', { name: 'API key needed' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/answers only with an API key/);
    await screenshot(page, 'key-prompt');
    await dialog.getByLabel('API key').fill('lab-key-123');
    await dialog.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    // With the key, /health tells the page the corpus size.
    await expect.poll(() => page.locator('.tagline').textContent()).toMatch(/62 abstracts/);
    await askQuestion(page, 'What strategies can prevent or reverse CAR-T cell exhaustion?');
    const turn = await lastFinishedTurn(page);
    expect(await turn.getAttribute('data-state')).toBe('done');
    expect(await turn.locator('.answer').textContent()).toMatch(/\[1\]/);

    await page.reload();
    await expect.poll(() => page.locator('.tagline').textContent()).toMatch(/62 abstracts/);
    expect(await page.getByRole('dialog', { name: 'API key needed' }).isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('abstract-qa.api-key'))).toBe('lab-key-123');
  });

  it('asks again with the reason when the key is refused, in Chinese when the page is Chinese', async () => {
    const { page } = fixture;
    // A browser set to Chinese: the page starts in Chinese.
    await page.addInitScript(() => Object.defineProperty(navigator, 'language', { get: () => 'zh-CN' }));
    await page.evaluate(() => sessionStorage.setItem('abstract-qa.api-key', 'stale-key'));
    await page.reload();
    const dialog = page.locator('#key-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => page.locator('#key-reason').textContent()).toMatch(/服务器拒绝了该密钥：API 密钥缺失或无效。/);
    await screenshot(page, 'key-refused-zh');
    await dialog.getByLabel('API 密钥').fill('lab-key-123');
    await dialog.getByRole('button', { name: '使用此密钥' }).click();
    await expect.poll(() => page.locator('.tagline').textContent()).toMatch(/62 篇摘要/);
  });

  it('explains a rate-limit refusal in the page language with the wait', async () => {
    const { page } = fixture;
    await page.evaluate(() => sessionStorage.setItem('abstract-qa.api-key', 'lab-key-123'));
    await page.reload();
    await expect.poll(() => page.locator('.tagline').textContent()).toMatch(/62 abstracts/);
    await page.route('**/ask/stream', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': '7' }, contentType: 'application/json', body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests' } }) }),
    );
    await askQuestion(page, 'CAR-T exhaustion');
    const turn = await lastFinishedTurn(page);
    expect(await turn.getByRole('alert').textContent()).toContain('too many questions in a minute; wait 7 s and retry.');
  });
});
