/**
 * The chat page used with the keyboard alone at phone width (375 px), plus checks of labels, contrast and the
 * language toggle.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { askQuestion, lastFinishedTurn, screenshot, usePageFixture } from './browser.js';

const fixture = usePageFixture();

/** Presses Tab until the focused element matches, failing after `limit` presses. */
async function tabTo(target: Page, selector: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await target.keyboard.press('Tab');
    if (await target.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('chat page accessibility', () => {
  it('works with the keyboard alone at 375 px wide: ask, open the evidence, close it', async () => {
    await fixture.page.setViewportSize({ width: 375, height: 812 });
    await fixture.page.reload();
    await tabTo(fixture.page, 'textarea#question');
    await fixture.page.keyboard.type('How does T cell exhaustion limit CAR-T therapy?');
    await fixture.page.keyboard.press('Enter');
    const turn = await lastFinishedTurn(fixture.page);
    expect(await turn.getAttribute('data-state')).toBe('done');

    await tabTo(fixture.page, 'a.cite');
    const marker = await fixture.page.evaluate(() => document.activeElement?.textContent);
    await fixture.page.keyboard.press('Enter');
    const card = fixture.page.getByRole('dialog');
    await card.locator('.abstract').waitFor();
    expect(await fixture.page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    expect(await fixture.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(fixture.page, 'mobile-375-evidence');
    await fixture.page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
    expect(await fixture.page.evaluate(() => document.activeElement?.textContent)).toBe(marker);

    // Nothing is wider than the phone: no sideways scrolling.
    expect(await fixture.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(fixture.page, 'mobile-375');
  });

  it('says so, next to the box, when Enter is pressed with no question', async () => {
    const box = fixture.page.getByLabel('Your question (English or 中文)');
    await box.press('Enter');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await fixture.page.locator('#question-hint').textContent()).toBe('Type a question first.');
    expect(await fixture.page.locator('#turns > li').count()).toBe(0);
    await box.type('C');
    expect(await box.getAttribute('aria-invalid')).toBeNull();
  });

  it('gives every control an accessible name and shows focus', async () => {
    await askQuestion(fixture.page, 'What strategies can prevent or reverse CAR-T cell exhaustion?');
    await lastFinishedTurn(fixture.page);
    const unnamed = await fixture.page.evaluate(() =>
      Array.from(document.querySelectorAll('button, a[href], textarea, summary'))
        .filter((el) => {
          const labels = (el as HTMLTextAreaElement).labels;
          const name = el.getAttribute('aria-label') || el.textContent?.trim() || (labels && labels[0]?.textContent?.trim());
          return !name;
        })
        .map((el) => el.outerHTML),
    );
    expect(unnamed).toEqual([]);
    await tabTo(fixture.page, 'textarea#question');
    const outline = await fixture.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
  });

  it('keeps text contrast at 4.5:1 or more', async () => {
    await askQuestion(fixture.page, 'What is the best recipe for sourdough bread?');
    await lastFinishedTurn(fixture.page);
    const failures = await fixture.page.evaluate(() => {
      const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]) => {
        const channel = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
      };
      const background = (el: Element | null): number[] => {
        for (let node = el; node; node = node.parentElement) {
          const parts = rgb(getComputedStyle(node).backgroundColor);
          if (parts.length >= 3 && (parts[3] === undefined || parts[3] > 0)) return parts.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const out: string[] = [];
      const selectors = ['h1', '.tagline', '#health summary', '#lang-toggle', '.who', '.question', '.meta p', '.notice-title', '.answer', '.cite', '.source-title', '.source-meta', 'label', '.hint', '#ask-button', '#new-chat'];
      for (const selector of selectors) {
        for (const el of Array.from(document.querySelectorAll(selector))) {
          const fg = luminance(rgb(getComputedStyle(el).color));
          const bg = luminance(background(el));
          const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
          if (ratio < 4.5) out.push(`${selector}: ${ratio.toFixed(2)}`);
        }
      }
      return out;
    });
    expect(failures).toEqual([]);
  });

  it('switches the labels with the toggle and keeps the choice for later questions', async () => {
    await fixture.page.getByRole('button', { name: 'Show labels in Chinese' }).click();
    expect(await fixture.page.getByRole('button', { name: '提问' }).isVisible()).toBe(true);
    expect(await fixture.page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await askQuestion(fixture.page, 'What strategies can prevent or reverse CAR-T cell exhaustion?');
    const turn = await lastFinishedTurn(fixture.page);
    // Labels stay Chinese (the user chose), while the answer's own language is shown as English.
    expect(await turn.locator('.answer-language').textContent()).toBe('英文');
    expect(await turn.locator('.sources-block h3').textContent()).toBe('出处');
    expect(await turn.locator('a.cite').first().getAttribute('aria-label')).toBe('出处 1：查看证据');
    await fixture.page.getByRole('button', { name: '界面切换为英文' }).click();
    expect(await turn.locator('.sources-block h3').textContent()).toBe('Sources');
    expect(await turn.locator('a.cite').first().getAttribute('aria-label')).toBe('Source 1: show the evidence');
    await screenshot(fixture.page, 'language-toggle');
  });
});
