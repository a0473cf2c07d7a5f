/**
 * "Narrow the search": year range, journal and abstract-language controls that become the `filters` of
 * `POST /ask/stream`, and the "Searched: 2019–2024, English abstracts" line shown on each answer they shaped.
 */
import { h } from './dom.js';
import { labelled } from './i18n.js';

/**
 * @typedef {{ year_from?: number, year_to?: number, journal?: string, language?: string }} AskFilters
 * @typedef {{ languages: Array<{ code: string, count: number }>, journals: Array<{ name: string, count: number }>,
 *   years: { min: number, max: number } | null }} Facets
 */

/**
 * Builds the controls inside `container` (a `<details>` so they take no room until wanted).
 * @param {HTMLElement} container
 * @returns {{ current: () => AskFilters | undefined, setFacets: (facets: Facets) => void }}
 */
export function createFilters(container) {
  const yearFrom = yearInput('filter-year-from');
  const yearTo = yearInput('filter-year-to');
  const journal = h('input', { id: 'filter-journal', type: 'text', list: 'filter-journals', maxlength: 300, autocomplete: 'off' });
  const journals = h('datalist', { id: 'filter-journals' });
  const language = h('select', { id: 'filter-language' }, labelled('option', 'filterAnyLanguage', {}, { value: '' }));
  const active = h('p', { class: 'filters-active hint', 'aria-live': 'polite' });
  const clear = labelled('button', 'filterClear', {}, { type: 'button', class: 'quiet' });
  const summary = labelled('summary', 'filtersTitle');
  container.replaceChildren(
    summary,
    h(
      'div',
      { class: 'filters-grid' },
      field('filter-year-from', 'filterYearFrom', yearFrom),
      field('filter-year-to', 'filterYearTo', yearTo),
      field('filter-journal', 'filterJournal', journal, journals),
      field('filter-language', 'filterLanguage', language),
    ),
    h('div', { class: 'filters-foot' }, active, clear),
  );

  const current = () => {
    /** @type {AskFilters} */
    const filters = {};
    const from = toYear(yearFrom.value);
    const to = toYear(yearTo.value);
    if (from !== undefined) filters.year_from = from;
    if (to !== undefined) filters.year_to = to;
    const journalText = /** @type {HTMLInputElement} */ (journal).value.trim();
    if (journalText) filters.journal = journalText;
    const code = /** @type {HTMLSelectElement} */ (language).value;
    if (code) filters.language = code;
    return Object.keys(filters).length > 0 ? filters : undefined;
  };
  const showActive = () => {
    const filters = current();
    container.classList.toggle('has-filters', filters !== undefined);
    active.replaceChildren(...(filters ? [labelled('span', 'scopeLabel', {}, { class: 'label' }), ...describeScope(filters)] : []));
  };
  for (const input of [yearFrom, yearTo, journal, language]) input.addEventListener('input', showActive);
  clear.addEventListener('click', () => {
    for (const input of [yearFrom, yearTo, journal]) /** @type {HTMLInputElement} */ (input).value = '';
    /** @type {HTMLSelectElement} */ (language).value = '';
    showActive();
    summary.focus();
  });

  return {
    current,
    setFacets(facets) {
      journals.replaceChildren(...facets.journals.map((j) => h('option', { value: j.name })));
      const chosen = /** @type {HTMLSelectElement} */ (language).value;
      language.replaceChildren(
        labelled('option', 'filterAnyLanguage', {}, { value: '' }),
        ...facets.languages.map((l) => (['en', 'zh'].includes(l.code) ? labelled('option', `language_${l.code}`, {}, { value: l.code }) : h('option', { value: l.code }, l.code))),
      );
      /** @type {HTMLSelectElement} */ (language).value = chosen;
      if (facets.years) {
        for (const input of [yearFrom, yearTo]) {
          input.setAttribute('min', String(facets.years.min));
          input.setAttribute('max', String(facets.years.max));
          input.setAttribute('placeholder', String(input === yearFrom ? facets.years.min : facets.years.max));
        }
      }
    },
  };
}

/**
 * The parts of "2019–2024, English abstracts" for a set of filters, as re-labellable spans.
 * @param {AskFilters} filters
 * @returns {Array<Node|string>}
 */
export function describeScope(filters) {
  /** @type {HTMLElement[]} */
  const parts = [];
  const { year_from: from, year_to: to } = filters;
  if (from !== undefined && to !== undefined) parts.push(labelled('span', 'scopeYears', { from, to }));
  else if (from !== undefined) parts.push(labelled('span', 'scopeFrom', { from }));
  else if (to !== undefined) parts.push(labelled('span', 'scopeTo', { to }));
  if (filters.journal) parts.push(labelled('span', 'scopeJournal', { journal: filters.journal }));
  if (filters.language) parts.push(['en', 'zh'].includes(filters.language) ? labelled('span', `scopeAbstracts_${filters.language}`) : labelled('span', 'scopeAbstracts', { language: filters.language }));
  /** @type {Array<Node|string>} */
  const out = [];
  parts.forEach((part, i) => out.push(...(i > 0 ? [', ', part] : [part])));
  return out;
}

/**
 * Adds the "Searched: …" line to an answer's meta block.
 * @param {HTMLElement} meta
 * @param {AskFilters} filters
 */
export function showScope(meta, filters) {
  meta.append(h('p', { class: 'scope' }, labelled('span', 'scopeLabel', {}, { class: 'label' }), ...describeScope(filters)));
}

/** @param {string} id */
function yearInput(id) {
  return /** @type {HTMLInputElement} */ (h('input', { id, type: 'number', inputmode: 'numeric', min: 1800, max: 2199, step: 1 }));
}

/** @param {string} value */
function toYear(value) {
  const year = Number(value);
  return /^\d{4}$/.test(value.trim()) && year >= 1000 && year <= 3000 ? year : undefined;
}

/**
 * @param {string} id
 * @param {string} key
 * @param {...HTMLElement} controls
 */
function field(id, key, ...controls) {
  return h('div', { class: 'filter-field' }, labelled('label', key, {}, { for: id }), ...controls);
}
