/**
 * The page's failure states in a real browser: a stream cut short, a server that cannot be reached, and a
 * server error. Failures are injected by intercepting `/ask/stream`; Retry then goes to the real server.
 */
import { describe, expect, it } from 'vitest';
import { askQuestion, lastFinishedTurn, screenshot, usePageFixture } from './browser.js';

const fixture = usePageFixture();

const SOURCES = JSON.stringify({ language: 'en', grounded: true, retrieval: { mode: 'lexical', took_ms: 1 }, sources: [] });

describe('chat page failures', () => {
  it('shows a dropped stream as an error with Retry, keeps what arrived, and Retry answers', async () => {
    // A stream that stops after the first words: no `citations`, no `done`.
    await fixture.page.route('**/ask/stream', (route) =>
      route.fulfill({ status: 200, contentType: 'text/event-stream', body: `event: sources\ndata: ${SOURCES}\n\nevent: answer\ndata: {"text":"Partial words"}\n\n` }),
    );
    await askQuestion(fixture.page, 'What strategies can prevent or reverse CAR-T cell exhaustion?');
    const turn = await lastFinishedTurn(fixture.page);
    expect(await turn.getAttribute('data-state')).toBe('error');
    expect(await turn.getByRole('alert').textContent()).toContain('The connection dropped before the answer was complete.');
    expect(await turn.locator('.answer').textContent()).toBe('Partial words');
    await screenshot(fixture.page, 'dropped-connection');

    await fixture.page.unroute('**/ask/stream');
    await turn.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => turn.getAttribute('data-state')).toBe('done');
    expect(await turn.locator('.answer').textContent()).toMatch(/\[1\]/);
    expect(await turn.locator('.error').isHidden()).toBe(true);
  });

  it('says the server could not be reached when the request itself fails', async () => {
    await fixture.page.route('**/ask/stream', (route) => route.abort('connectionrefused'));
    await askQuestion(fixture.page, 'CAR-T exhaustion');
    const turn = await lastFinishedTurn(fixture.page);
    expect(await turn.getByRole('alert').textContent()).toContain('The server could not be reached.');
    expect(await turn.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    // The box is usable again for the next question.
    expect(await fixture.page.getByRole('button', { name: 'Ask' }).getAttribute('aria-disabled')).toBe('false');
  });

  it('shows the message of a server error reply and of an error event', async () => {
    await fixture.page.route('**/ask/stream', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal_error', message: 'The server failed to answer; the error is in its log.' } }) }),
    );
    await askQuestion(fixture.page, 'CAR-T exhaustion');
    let turn = await lastFinishedTurn(fixture.page);
    expect(await turn.getByRole('alert').textContent()).toContain('The server could not answer: The server failed to answer; the error is in its log.');
    await screenshot(fixture.page, 'server-error');

    await fixture.page.unroute('**/ask/stream');
    await fixture.page.route('**/ask/stream', (route) =>
      route.fulfill({ status: 200, contentType: 'text/event-stream', body: `event: error\ndata: {"error":{"code":"internal_error","message":"Index unavailable"}}\n\n` }),
    );
    await askQuestion(fixture.page, 'CAR-T exhaustion again');
    await expect.poll(() => fixture.page.locator('#turns > li').count()).toBe(2);
    turn = await lastFinishedTurn(fixture.page);
    expect(await turn.getByRole('alert').textContent()).toContain('The server could not answer: Index unavailable');
  });

  it('renders untrusted text as text, never as markup', async () => {
    const evil = '<img src=x onerror="window.pwned=1">';
    const sources = JSON.stringify({
      language: 'en',
      grounded: true,
      retrieval: { mode: 'lexical', took_ms: 1 },
      searched_question: evil,
      sources: [{ id: 'x', title: evil, authors: [], markers: [1] }],
    });
    await fixture.page.route('**/ask/stream', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/event-stream',
        body: `event: sources\ndata: ${sources}\n\nevent: answer\ndata: ${JSON.stringify({ text: `${evil} [1]` })}\n\nevent: citations\ndata: {"citations":[]}\n\nevent: done\ndata: {}\n\n`,
      }),
    );
    await askQuestion(fixture.page, evil);
    const turn = await lastFinishedTurn(fixture.page);
    expect(await turn.locator('img').count()).toBe(0);
    expect(await turn.locator('.answer').textContent()).toBe(`${evil} [1]`);
    expect(await fixture.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });
});
