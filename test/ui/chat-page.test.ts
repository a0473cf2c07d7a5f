/**
 * The chat page in a real browser against the real server: streamed answers in English and Chinese, the
 * evidence card, the no-answer state and follow-up questions. Each test leaves a screenshot in test/.artifacts/ui/.
 */
import { describe, expect, it } from 'vitest';
import { askQuestion, lastFinishedTurn, renderLog, screenshot, watchRendering, usePageFixture } from './browser.js';

const SEED_ID = 'doi-10.3870_j.issn.1672-0741.23.11.008';
const fixture = usePageFixture({ failOnPageErrors: true });

describe('chat page', () => {
  it('greets a first-time user with the question box, examples and the lexical-only badge', async () => {
    await expect.poll(() => fixture.page.locator('#health').isVisible()).toBe(true);
    await expect.poll(() => fixture.page.locator('.tagline').textContent()).toMatch(/62 abstracts/);
    expect(await fixture.page.locator('#health summary').textContent()).toBe('Keyword search only');
    expect(await fixture.page.getByLabel('Your question (English or 中文)').isVisible()).toBe(true);
    expect(await fixture.page.getByRole('button', { name: 'Ask' }).isVisible()).toBe(true);
    expect(await fixture.page.locator('button.example').count()).toBe(2);
    await screenshot(fixture.page, 'first-visit');
  });

  it('streams an English answer: sources first, then the text in pieces, with linked markers', async () => {
    await watchRendering(fixture.page);
    await askQuestion(fixture.page, 'What strategies can prevent or reverse CAR-T cell exhaustion?');
    const turn = await lastFinishedTurn(fixture.page);
    expect(await turn.getAttribute('data-state')).toBe('done');
    expect(await turn.getAttribute('data-grounded')).toBe('true');
    expect(Number(await turn.getAttribute('data-chunks'))).toBeGreaterThan(1);
    expect(await turn.locator('.answer-language').textContent()).toBe('English');
    expect(await turn.locator('.answer a.cite').first().textContent()).toBe('[1]');
    expect(await turn.locator('.answer a.cite').first().getAttribute('href')).toBe(`/records/${encodeURIComponent(SEED_ID)}`);
    expect(await turn.locator('.sources-block h3').textContent()).toBe('Sources');

    const log = await renderLog(fixture.page);
    const withText = log.filter((entry) => entry.answer > 0);
    expect(withText.length).toBeGreaterThan(0);
    expect(withText[0]!.sources).toBe(true);
    expect(new Set(withText.map((entry) => entry.answer)).size).toBeGreaterThan(1);
    await screenshot(fixture.page, 'english-answer');
  });

  it('streams a Chinese answer and switches the labels to Chinese', async () => {
    await askQuestion(fixture.page, '如何逆转CAR-T细胞耗竭？');
    const turn = await lastFinishedTurn(fixture.page);
    expect(await turn.getAttribute('data-state')).toBe('done');
    expect(await turn.locator('.answer').textContent()).toMatch(/^根据语料库中的摘要/);
    expect(await turn.locator('.answer').getAttribute('lang')).toBe('zh-CN');
    expect(await turn.locator('.answer-language').textContent()).toBe('中文');
    expect(await fixture.page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await fixture.page.getByRole('button', { name: '提问' }).isVisible()).toBe(true);
    expect(await fixture.page.getByLabel('您的问题（中文或英文）').isVisible()).toBe(true);
    expect(await turn.locator('.source-original').first().textContent()).toBe('CAR-T细胞治疗肿瘤中T细胞耗竭现象的作用机制和策略');
    await screenshot(fixture.page, 'chinese-answer');
  });

  it('opens the evidence card from [1] with the quoted sentence highlighted in the full abstract', async () => {
    await askQuestion(fixture.page, 'What strategies can prevent or reverse CAR-T cell exhaustion?');
    const turn = await lastFinishedTurn(fixture.page);
    const expected = (await (await fetch(`${fixture.server.url}/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'What strategies can prevent or reverse CAR-T cell exhaustion?' }),
    })).json()) as { citations: Array<{ n: number; id: string; quote: string }> };
    const first = expected.citations.find((c) => c.n === 1)!;

    await turn.locator('.answer a.cite', { hasText: '[1]' }).first().click();
    const card = fixture.page.getByRole('dialog');
    await card.locator('mark.quoted').waitFor();
    expect(await card.locator('mark.quoted').textContent()).toBe(first.quote);
    const record = fixture.server.services.index.recordById.get(first.id)!;
    expect(await card.locator('.abstract').textContent()).toBe(record.abstract);
    expect(await card.locator('#evidence-title').textContent()).toBe(record.title);
    if (record.originalTitle) expect(await card.locator('.original-title').textContent()).toBe(record.originalTitle);
    if (record.doi) expect(await card.locator(`a[href="https://doi.org/${record.doi}"]`).count()).toBe(1);
    expect(await card.locator('.facts').textContent()).toContain(record.authors[0]!);
    await screenshot(fixture.page, 'evidence-card');

    // Escape closes the card and gives focus back to the marker that opened it.
    await fixture.page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
    expect(await fixture.page.evaluate(() => document.activeElement?.textContent)).toBe('[1]');
  });

  it('shows an off-topic question as not answered by the corpus, with the closest sources', async () => {
    await askQuestion(fixture.page, 'What is the best recipe for sourdough bread?');
    const turn = await lastFinishedTurn(fixture.page);
    expect(await turn.getAttribute('data-grounded')).toBe('false');
    expect(await turn.locator('.notice-title').textContent()).toBe('No answer in the corpus');
    expect(await turn.locator('.sources-block h3').textContent()).toBe('Closest sources');
    expect(await turn.locator('.sources li').count()).toBeGreaterThan(0);
    expect(await turn.locator('.answer').textContent()).toMatch(/^The corpus does not answer this question\./);
    await screenshot(fixture.page, 'no-answer');
  });

  it('resolves a follow-up against the earlier question and shows what was searched', async () => {
    await askQuestion(fixture.page, 'How does CAR-T cell exhaustion occur?');
    await lastFinishedTurn(fixture.page);
    await askQuestion(fixture.page, 'and in solid tumours?');
    await expect.poll(() => fixture.page.locator('#turns > li').count()).toBe(2);
    const turn = await lastFinishedTurn(fixture.page);
    expect(await turn.locator('.searched q').textContent()).toBe('and in solid tumours? CAR-T cell exhaustion');
    expect(await turn.getAttribute('data-grounded')).toBe('true');
    expect(await turn.locator('.answer').textContent()).toMatch(/solid tumou?r/i);
    expect(await turn.locator('.sources .source-title').first().textContent()).toMatch(/CAR-T Cell Therapy for T Cell Exhaustion/);
    await screenshot(fixture.page, 'follow-up');
  });
});
