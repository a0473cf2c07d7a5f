/**
 * Glue of the library features for app.js: the library dialog (collection, files, uploads), the search filters,
 * and what each answer gets from them (the "Searched: …" line, Copy answer and exports).
 */
import { apiFetch } from './api-key.js';
import './library-labels.js';
import { addAnswerTools } from './answer-tools.js';
import { createFilters, showScope } from './filters.js';
import { applyLabels } from './i18n.js';
import { createLibrary } from './library-panel.js';
import { createUploadArea } from './upload.js';

/**
 * @typedef {import('./turn.js').Turn} Turn
 * @typedef {import('./filters.js').AskFilters} AskFilters
 * @param {{ openRecord: (evidence: import('./turn.js').Evidence, trigger: HTMLElement) => void, onCorpusChanged: () => void }} options
 */
export function setUpLibrary(options) {
  const filtersBox = /** @type {HTMLElement} */ (document.getElementById('filters'));
  const filters = createFilters(filtersBox);
  const upload = createUploadArea({
    onAdded: () => {
      void library.refresh();
      options.onCorpusChanged();
    },
    onIndexed: () => {
      void library.refresh();
      options.onCorpusChanged();
    },
  });
  const library = createLibrary({
    dialog: /** @type {HTMLDialogElement} */ (document.getElementById('library')),
    uploadArea: upload.element,
    onFacets: (facets) => filters.setFacets(facets),
    openRecord: (record, trigger) =>
      options.openRecord({ n: /** @type {number} */ (/** @type {unknown} */ (undefined)), source: { ...record, markers: [] } }, trigger),
  });
  document.getElementById('library-toggle')?.addEventListener('click', () => library.open());
  // Facets for the filter controls, and the upload limit, before the library is first opened.
  void apiFetch('/records?limit=1').then(async (response) => {
    if (response.ok) filters.setFacets((await response.json()).facets);
  }).catch(() => {});
  // A server that cannot change its corpus has no /documents: then the page offers no upload.
  upload.element.hidden = true;
  void apiFetch('/documents').then(async (response) => {
    if (!response.ok) return;
    upload.setLimit((await response.json()).upload_max_mb);
    upload.element.hidden = false;
  }).catch(() => {});
  applyLabels(filtersBox);

  return {
    /** @returns {AskFilters|undefined} */
    filters: () => filters.current(),
    /** @param {Turn} turn @param {AskFilters|undefined} used */
    onSources(turn, used) {
      if (used) showScope(turn.meta, used);
    },
    /** @param {Turn} turn */
    onDone(turn) {
      addAnswerTools(turn);
    },
    /** Shows build progress if one is running when the page opens. */
    watchIndexing: () => upload.watchIndexing(true),
  };
}
