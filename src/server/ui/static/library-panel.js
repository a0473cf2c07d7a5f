/**
 * The library: a dialog listing the collection (title, original title, year, journal, language) with a filter
 * that narrows titles as you type, a record card for each, a selection to export as RIS or BibTeX, the corpus
 * files (uploaded ones can be removed), and the upload area.
 */
import { apiFetch } from './api-key.js';
import { h, langAttribute } from './dom.js';
import { labelled, t } from './i18n.js';

const PAGE = 50;

/**
 * @typedef {{ id: string, title: string, original_title?: string, authors: string[], journal?: string, year?: number,
 *   language: string, source_file: string, snippet?: string }} RecordSummary
 * @typedef {{ file: string, records: number, removable: boolean }} CorpusFile
 * @typedef {{ dialog: HTMLDialogElement, openRecord: (record: RecordSummary, trigger: HTMLElement) => void,
 *   onFacets: (facets: import('./filters.js').Facets) => void, uploadArea: HTMLElement }} LibraryOptions
 */

/**
 * Wires the library dialog; returns `open` (for the header button) and `refresh` (after uploads and removals).
 * @param {LibraryOptions} options
 */
export function createLibrary(options) {
  const { dialog } = options;
  const count = h('p', { class: 'kicker library-count' });
  const close = labelled('button', 'close', {}, { type: 'button', class: 'close quiet' });
  close.addEventListener('click', () => dialog.close());
  const search = h('input', { id: 'library-filter', type: 'search', autocomplete: 'off', 'aria-describedby': 'library-filter-hint', maxlength: 200 });
  const list = h('ul', { class: 'library-list', 'aria-labelledby': 'library-title' });
  const shown = h('p', { class: 'hint library-shown', role: 'status' });
  const more = labelled('button', 'libraryMore', {}, { type: 'button', class: 'quiet', hidden: true });
  const selectedNote = h('span', { class: 'library-selected' });
  const exportRis = labelled('a', 'exportSelectedRis', {}, { class: 'export-link', download: '', 'data-format': 'ris', hidden: true });
  const exportBibtex = labelled('a', 'exportSelectedBibtex', {}, { class: 'export-link', download: '', 'data-format': 'bibtex', hidden: true });
  const files = h('ul', { class: 'library-files' });
  const removal = h('p', { class: 'hint', role: 'status' });
  dialog.replaceChildren(
    h(
      'div',
      { class: 'card library' },
      h('div', { class: 'card-head' }, h('div', {}, labelled('h2', 'libraryTitle', {}, { id: 'library-title' }), count), close),
      options.uploadArea,
      h('div', { class: 'library-search' }, labelled('label', 'libraryFilter', {}, { for: 'library-filter' }), search, labelled('p', 'libraryFilterHint', {}, { id: 'library-filter-hint', class: 'hint' })),
      shown,
      list,
      more,
      h('div', { class: 'library-export' }, selectedNote, exportRis, exportBibtex),
      labelled('h3', 'filesTitle'),
      files,
      removal,
    ),
  );
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });

  /** @type {Set<string>} */
  const selected = new Set();
  let offset = 0;
  let ticket = 0;
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let typing;

  const updateSelection = () => {
    const query = [...selected].map((id) => `id=${encodeURIComponent(id)}`).join('&');
    for (const link of [exportRis, exportBibtex]) {
      link.hidden = selected.size === 0;
      link.setAttribute('href', `/records/export?${query}&format=${link.dataset.format}`);
    }
    selectedNote.replaceChildren(selected.size > 0 ? labelled('span', 'librarySelected', { n: selected.size }) : '');
  };

  /** @param {RecordSummary} record */
  const item = (record) => {
    const box = h('input', { type: 'checkbox', class: 'library-pick', 'data-id': record.id });
    /** @type {HTMLInputElement} */ (box).checked = selected.has(record.id);
    box.addEventListener('change', () => {
      if (/** @type {HTMLInputElement} */ (box).checked) selected.add(record.id);
      else selected.delete(record.id);
      updateSelection();
    });
    const name = record.title || record.original_title || record.snippet || record.id;
    const pick = labelled('label', 'librarySelect', { title: name }, { class: 'sr-only' });
    const boxId = `pick-${Math.random().toString(36).slice(2, 10)}`;
    box.id = boxId;
    pick.setAttribute('for', boxId);
    const open = h('button', { type: 'button', class: 'library-open quiet', dir: 'auto', 'data-id': record.id, lang: record.title ? undefined : langAttribute(record.language) }, name);
    open.addEventListener('click', () => options.openRecord(record, open));
    const where = [record.journal, record.year === undefined ? undefined : String(record.year), record.language && labelled('span', `language_${record.language}`)].filter(
      /** @returns {part is string | HTMLElement} */ (part) => Boolean(part),
    );
    return h(
      'li',
      { class: 'library-item' },
      box,
      pick,
      h(
        'div',
        { class: 'library-text' },
        open,
        record.original_title && record.original_title !== record.title ? h('span', { class: 'source-original', lang: langAttribute('zh') }, record.original_title) : null,
        h('span', { class: 'source-meta' }, ...where.flatMap((part, i) => (i > 0 ? [' · ', part] : [part]))),
      ),
    );
  };

  /** @param {boolean} append */
  async function load(append) {
    const mine = ++ticket;
    if (!append) offset = 0;
    const q = /** @type {HTMLInputElement} */ (search).value.trim();
    const response = await apiFetch(`/records?${new URLSearchParams({ ...(q && { q }), offset: String(offset), limit: String(PAGE) })}`);
    if (!response.ok || mine !== ticket) return;
    const page = await response.json();
    const items = page.records.map(item);
    if (append) list.append(...items);
    else list.replaceChildren(...items);
    offset += page.records.length;
    options.onFacets(page.facets);
    shown.replaceChildren(page.total === 0 ? labelled('span', 'libraryNone') : labelled('span', 'libraryShown', { shown: offset, total: page.total }));
    more.hidden = offset >= page.total;
    if (!q) count.replaceChildren(labelled('span', 'libraryCount', { n: page.total }));
    dialog.dataset.loaded = String(Date.now());
  }

  async function loadFiles() {
    const response = await apiFetch('/documents');
    if (!response.ok) return;
    const body = await response.json();
    files.replaceChildren(
      ...body.files.map((/** @type {CorpusFile} */ f) => {
        const remove = f.removable ? labelled('button', 'fileRemove', {}, { type: 'button', class: 'quiet', 'data-i18n-label': 'fileRemoveLabel', 'data-name': f.file }) : null;
        remove?.setAttribute('aria-label', t('fileRemoveLabel', { name: f.file }));
        remove?.addEventListener('click', () => void removeFile(f, /** @type {HTMLElement} */ (remove)));
        return h('li', { class: 'library-file' }, h('span', { class: 'file-name' }, f.file), ' ', labelled('span', 'fileRecords', { n: f.records }, { class: 'hint' }), remove);
      }),
    );
  }

  /** @param {CorpusFile} file @param {HTMLElement} button */
  async function removeFile(file, button) {
    button.setAttribute('aria-disabled', 'true');
    const response = await apiFetch(`/documents/${encodeURIComponent(file.file)}`, { method: 'DELETE' });
    const body = await response.json().catch(() => ({}));
    removal.replaceChildren(response.ok ? labelled('span', 'fileRemoved', { name: file.file, n: body.removed_records ?? file.records }) : h('span', { class: 'error' }, body.error?.message ?? `HTTP ${response.status}`));
    await refresh();
    search.focus();
  }

  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => void load(false), 150);
  });
  more.addEventListener('click', async () => {
    const before = list.children.length;
    await load(true);
    // The button may now be hidden; keyboard focus continues at the first record just shown.
    /** @type {HTMLElement|null} */ (list.children[before]?.querySelector('.library-open') ?? null)?.focus();
  });

  async function refresh() {
    await Promise.all([load(false), loadFiles()]);
  }

  return {
    open() {
      if (!dialog.open) dialog.showModal();
      void refresh();
      search.focus();
    },
    refresh,
  };
}
