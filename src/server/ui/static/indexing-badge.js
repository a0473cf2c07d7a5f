/**
 * The small "indexing n/N" badge: shown while `GET /health` reports a background build (`indexing`), refreshed
 * every few seconds, hidden when the build is done. Text goes through the label table (textContent only).
 */
import { applyLabels } from './i18n.js';

const POLL_MS = 3000;

/**
 * Shows `badge` while a build runs; calls `onFinished` once after a build it saw has ended (the served index
 * changed, e.g. from keyword-only to hybrid).
 * @param {HTMLElement} badge
 * @param {{ indexing?: { phase: string, done: number, total: number, eta_s: number | null } }} health first /health body
 * @param {(path: string) => Promise<Response>} get fetches a path as the page does (with its API key, if any)
 * @param {() => void} onFinished
 */
export function watchIndexing(badge, health, get, onFinished) {
  if (!show(badge, health.indexing)) return;
  const timer = setInterval(async () => {
    try {
      const response = await get('/health');
      if (!response.ok) return;
      const body = await response.json();
      if (show(badge, body.indexing)) return;
      clearInterval(timer);
      onFinished();
    } catch {
      // The next poll tries again; a server that went away shows itself on the next question.
    }
  }, POLL_MS);
}

/**
 * @param {HTMLElement} badge
 * @param {{ phase: string, done: number, total: number, eta_s: number | null } | undefined} indexing
 * @returns {boolean} whether a build is running
 */
function show(badge, indexing) {
  if (!indexing || typeof indexing !== 'object') {
    badge.hidden = true;
    return false;
  }
  const embedding = indexing.phase === 'embed' && indexing.total > 0;
  badge.dataset.i18n = embedding ? (indexing.eta_s === null ? 'indexingProgress' : 'indexingProgressEta') : 'indexingStarting';
  badge.dataset.done = String(indexing.done);
  badge.dataset.total = String(indexing.total);
  badge.dataset.percent = embedding ? String(Math.floor((100 * indexing.done) / indexing.total)) : '0';
  badge.dataset.minutes = String(Math.max(1, Math.round((indexing.eta_s ?? 0) / 60)));
  badge.hidden = false;
  applyLabels(badge);
  return true;
}
