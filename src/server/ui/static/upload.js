/**
 * Adding files from the page: drop them on the area or pick them (keyboard: the file button), each is sent to
 * `POST /documents` on its own, and its report (records added, lines skipped, duplicates) or refusal is listed.
 * While the index builds in the background, `/health`'s `indexing` progress is shown until it ends.
 */
import { apiFetch } from './api-key.js';
import { h } from './dom.js';
import { applyLabels, labelled } from './i18n.js';

const POLL_MS = 1000;

/**
 * @typedef {{ file: string, records: number, new_records: number, duplicates: number, skipped: string[] }} UploadReport
 * @param {{ onIndexed: () => void, onAdded: () => void }} options
 * @returns {{ element: HTMLElement, setLimit: (mb: number) => void, watchIndexing: (quietWhenIdle?: boolean) => Promise<void> }}
 */
export function createUploadArea(options) {
  // The native input's own words ("Choose Files", "No file chosen") follow the browser, not the page: it stays
  // focusable but hidden, and its label, styled as a button, speaks the page's language.
  const input = h('input', { id: 'upload-input', type: 'file', multiple: true, class: 'upload-input sr-only' });
  const hint = labelled('p', 'uploadHint', { mb: 50 }, { id: 'upload-hint', class: 'hint' });
  input.setAttribute('aria-describedby', 'upload-hint');
  const zone = h('div', { class: 'drop-zone', id: 'drop-zone' }, labelled('p', 'uploadDrop', {}, { class: 'drop-title' }), labelled('label', 'uploadChoose', {}, { for: 'upload-input', class: 'choose-files' }), input, hint);
  const reports = h('ul', { class: 'upload-reports', 'aria-live': 'polite' });
  const progress = h('p', { class: 'upload-progress hint', role: 'status', hidden: true });
  const element = h('section', { class: 'upload', 'aria-labelledby': 'upload-title' }, labelled('h3', 'uploadTitle', {}, { id: 'upload-title' }), zone, progress, reports);
  let polling = false;

  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    void sendAll([...(event.dataTransfer?.files ?? [])]);
  });
  input.addEventListener('change', () => {
    const files = [.../** @type {HTMLInputElement} */ (input).files ?? []];
    /** @type {HTMLInputElement} */ (input).value = '';
    void sendAll(files);
  });

  /** @param {File[]} files */
  async function sendAll(files) {
    let added = false;
    for (const file of files) added = (await send(file)) || added;
    if (added) {
      options.onAdded();
      void watchIndexing();
    }
  }

  /** @param {File} file @returns {Promise<boolean>} whether records were added */
  async function send(file) {
    const line = h('li', { class: 'upload-report', 'data-file': file.name }, labelled('span', 'uploadSending', { name: file.name }));
    reports.prepend(line);
    const form = new FormData();
    form.append('file', file, file.name);
    let response;
    try {
      response = await apiFetch('/documents', { method: 'POST', body: form });
    } catch {
      line.replaceChildren(labelled('span', 'errorNetwork'));
      line.dataset.state = 'refused';
      return false;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      line.dataset.state = 'refused';
      // Server messages often start with the file's name already; the label adds it once.
      const message = String(body.error?.message ?? `HTTP ${response.status}`).replace(`${file.name}: `, '');
      line.replaceChildren(labelled('span', 'uploadRefused', { name: file.name, message }, { class: 'error' }), issuesList(body.error?.skipped));
      return false;
    }
    const report = /** @type {UploadReport} */ (body);
    line.dataset.state = 'added';
    line.replaceChildren(labelled('span', 'uploadDone', { name: report.file, records: report.new_records, skipped: report.skipped.length, duplicates: report.duplicates }), issuesList(report.skipped));
    return report.new_records > 0 || report.records > 0;
  }

  /**
   * Polls `/health` while it reports `indexing`, showing the phase and counts.
   * @param {boolean} [quietWhenIdle] say nothing when no build runs (on page load)
   */
  async function watchIndexing(quietWhenIdle = false) {
    if (polling) return;
    polling = true;
    try {
      for (let first = true; ; first = false) {
        const health = await apiFetch('/health').then((r) => r.json()).catch(() => undefined);
        const indexing = health?.indexing;
        if (!indexing && first && quietWhenIdle) return;
        progress.hidden = false;
        if (!indexing) {
          progress.replaceChildren(labelled('span', 'indexingDone', { n: health?.records ?? '' }));
          progress.dataset.state = 'done';
          options.onIndexed();
          return;
        }
        progress.dataset.state = 'indexing';
        const counts = indexing.total > 0 ? ` ${indexing.done}/${indexing.total}` : '';
        progress.replaceChildren(labelled('span', 'indexing'), ' ', labelled('span', `phase_${indexing.phase}`, {}, { class: 'phase' }), counts);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } finally {
      polling = false;
    }
  }

  return {
    element,
    setLimit(mb) {
      hint.dataset.mb = String(mb);
      applyLabels(hint);
    },
    watchIndexing,
  };
}

/** @param {string[]|undefined} issues `file:line: reason` lines */
function issuesList(issues) {
  if (!issues || issues.length === 0) return '';
  return h('ul', { class: 'upload-issues' }, issues.slice(0, 20).map((issue) => h('li', {}, issue)));
}
