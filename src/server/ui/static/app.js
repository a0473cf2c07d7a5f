/**
 * The chat page: sends each question with the conversation's earlier questions to `POST /ask/stream` and renders
 * the reply as its events arrive. Plain ES modules served as they are (no build step).
 */
import { apiFetch, askForKey, hasKey, refusalMessage } from './api-key.js';
import { detectLanguage } from './dom.js';
import { createEvidenceCard } from './evidence-card.js';
import { applyLabels, setUiLanguage, t, uiLanguage } from './i18n.js';
import { watchIndexing } from './indexing-badge.js';
import { setUpLibrary } from './library.js';
import { readEventStream } from './sse.js';
import { Turn } from './turn.js';

/** Earlier questions sent with a follow-up; the server accepts at most this many. */
const HISTORY_TURNS = 6;

const form = /** @type {HTMLFormElement} */ (document.getElementById('ask-form'));
const question = /** @type {HTMLTextAreaElement} */ (document.getElementById('question'));
const askButton = /** @type {HTMLButtonElement} */ (document.getElementById('ask-button'));
const turnsList = /** @type {HTMLOListElement} */ (document.getElementById('turns'));
const empty = /** @type {HTMLElement} */ (document.getElementById('empty'));
const langToggle = /** @type {HTMLButtonElement} */ (document.getElementById('lang-toggle'));
const health = /** @type {HTMLElement} */ (document.getElementById('health'));
const evidence = createEvidenceCard(
  /** @type {HTMLDialogElement} */ (document.getElementById('evidence')),
  /** @type {HTMLElement} */ (document.getElementById('evidence-body')),
);

const library = setUpLibrary({
  openRecord: (found, trigger) => void evidence.open(found, trigger),
  onCorpusChanged: () => void showHealth(),
});

/** @type {Turn[]} */
let turns = [];
/** @type {AbortController|null} */
let inFlight = null;
// Labels follow the language of each question until the user picks one with the toggle.
let languageChosen = false;

/** @param {'en'|'zh'} language */
function showLanguage(language) {
  setUiLanguage(language);
  langToggle.lang = language === 'zh' ? 'en' : 'zh-CN';
}

/**
 * Marks the Ask button busy while a reply streams. `aria-disabled` rather than `disabled`: a disabled button
 * drops keyboard focus to the page body; submits during a stream are ignored in {@link ask} instead.
 * @param {boolean} busy
 */
function setBusy(busy) {
  askButton.setAttribute('aria-disabled', String(busy));
  askButton.dataset.i18n = busy ? 'asking' : 'ask';
  askButton.textContent = t(askButton.dataset.i18n);
}

/**
 * Shows (or clears) the "type a question first" message under the box.
 * @param {boolean} invalid
 */
function markEmpty(invalid) {
  const hint = /** @type {HTMLElement} */ (document.getElementById('question-hint'));
  if (invalid) question.setAttribute('aria-invalid', 'true');
  else question.removeAttribute('aria-invalid');
  hint.classList.toggle('invalid', invalid);
  hint.dataset.i18n = invalid ? 'emptyQuestion' : 'questionHint';
  hint.textContent = t(hint.dataset.i18n);
}

/**
 * Streams one turn's reply into it.
 * @param {Turn} turn
 */
async function run(turn) {
  const controller = new AbortController();
  inFlight = controller;
  setBusy(true);
  turn.start();
  // Retry asks within the same bounds as the first attempt.
  const filters = (turn.filters ??= library.filters());
  let response;
  try {
    response = await apiFetch('/ask/stream', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: turn.question, ...(turn.history.length > 0 && { history: turn.history }), ...(filters && { filters }) }),
      signal: controller.signal,
    });
  } catch {
    if (!controller.signal.aborted) turn.fail('network');
    return finish(controller);
  }
  if (!response.ok) {
    turn.fail('server', await refusalMessage(response));
    return finish(controller);
  }
  let finished = false;
  try {
    await readEventStream(response, (event) => {
      const data = JSON.parse(event.data);
      if (event.event === 'sources') {
        turn.onSources(data);
        library.onSources(turn, filters);
      }
      else if (event.event === 'answer') turn.onAnswer(data.text);
      else if (event.event === 'citations') turn.onCitations(data.citations);
      else if (event.event === 'done') {
        finished = true;
        turn.onDone();
        library.onDone(turn);
      } else if (event.event === 'error') {
        finished = true;
        const code = data.error?.code;
        turn.fail('server', code === 'timeout' || code === 'shutting_down' ? t(`refused_${code}`) : data.error?.message);
      }
    });
  } catch {
    // The body broke off mid-stream (server gone, network lost); handled below like an early end.
  }
  // A stream that ends without `done` or `error` was cut: say so and offer Retry.
  if (!finished && !controller.signal.aborted) turn.fail('dropped');
  finish(controller);
}

/** @param {AbortController} controller */
function finish(controller) {
  if (inFlight === controller) {
    inFlight = null;
    setBusy(false);
  }
}

/** @param {string} text */
function ask(text) {
  const asked = text.trim();
  if (inFlight) return;
  if (!asked) {
    markEmpty(true);
    question.focus();
    return;
  }
  markEmpty(false);
  if (!languageChosen) showLanguage(detectLanguage(asked));
  const turn = new Turn({
    question: asked,
    history: turns.map((earlier) => earlier.question).slice(-HISTORY_TURNS),
    openEvidence: (found, trigger) => void evidence.open(found, trigger),
    onRetry: (again) => {
      if (!inFlight) void run(again);
    },
  });
  turns.push(turn);
  empty.hidden = true;
  turnsList.append(turn.element);
  question.value = '';
  pinned = true;
  followThread();
  void run(turn);
}

// The thread follows a streaming reply down the page, unless the user has scrolled up to read something else.
let pinned = true;
window.addEventListener('scroll', () => {
  pinned = document.documentElement.scrollHeight - (window.scrollY + window.innerHeight) < 80;
}, { passive: true });
new MutationObserver(() => followThread()).observe(turnsList, { childList: true, subtree: true, characterData: true });

function followThread() {
  if (pinned) window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  ask(question.value);
});

question.addEventListener('input', () => {
  if (question.hasAttribute('aria-invalid')) markEmpty(false);
});

question.addEventListener('keydown', (event) => {
  // Enter sends; Shift+Enter is a new line; Enter while an IME is composing (Chinese input) picks a candidate.
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  form.requestSubmit();
});

document.getElementById('new-chat')?.addEventListener('click', () => {
  inFlight?.abort();
  inFlight = null;
  setBusy(false);
  turns = [];
  turnsList.replaceChildren();
  empty.hidden = false;
  question.focus();
});

for (const example of document.querySelectorAll('button.example')) {
  example.addEventListener('click', () => ask(example.textContent ?? ''));
}

langToggle.addEventListener('click', () => {
  languageChosen = true;
  showLanguage(uiLanguage() === 'zh' ? 'en' : 'zh');
});

/**
 * Shows the corpus size, a badge when retrieval is keyword-only, and one while the index is being built. When the
 * server needs an API key and this tab has none yet, asks for it first (a server with keys tells a keyless request
 * nothing else).
 */
async function showHealth() {
  try {
    let response = await apiFetch('/health');
    if (!response.ok) return;
    let body = await response.json();
    if (body.auth === 'api_key' && typeof body.records !== 'number') {
      await askForKey(hasKey() ? 'keyRefused' : 'keyNeeded', hasKey() ? t('refused_unauthorized') : '');
      response = await apiFetch('/health');
      if (!response.ok) return;
      body = await response.json();
    }
    const tagline = document.querySelector('.tagline');
    if (tagline instanceof HTMLElement && typeof body.records === 'number') {
      tagline.dataset.i18n = 'taglineCount';
      tagline.dataset.n = String(body.records);
    }
    const hint = /** @type {HTMLElement} */ (document.getElementById('health-hint'));
    hint.dataset.warning = typeof body.warning === 'string' ? body.warning : '';
    health.hidden = body.retrieval !== 'lexical';
    applyLabels(document.body);
    watchIndexing(/** @type {HTMLElement} */ (document.getElementById('indexing')), body, apiFetch, () => void showHealth());
  } catch {
    // No badge is better than a wrong one; a failing server shows itself on the first question.
  }
}

showLanguage(navigator.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en');
void showHealth();
void library.watchIndexing();
