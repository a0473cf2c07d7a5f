/**
 * The evidence card: a modal `<dialog>` showing the cited record in full (titles, authors, journal, year, DOI and
 * PMID links) with the quoted sentence highlighted in its abstract. The dialog gives focus trapping and Escape
 * for free; closing returns focus to the `[n]` that opened it.
 */
import { apiFetch } from './api-key.js';
import { h, langAttribute } from './dom.js';
import { labelled } from './i18n.js';

/**
 * @typedef {import('./turn.js').Evidence} Evidence
 * @typedef {{ id: string, title: string, originalTitle?: string, authors: string[], journal?: string, year?: number,
 *   doi?: string, pmid?: string, abstract: string, language?: string }} AbstractRecord
 */

/**
 * Wires the card to its dialog.
 * @param {HTMLDialogElement} dialog
 * @param {HTMLElement} body where the card's content goes
 * @returns {{ open: (evidence: Evidence, trigger: HTMLElement) => Promise<void> }}
 */
export function createEvidenceCard(dialog, body) {
  /** @type {Map<string, Promise<AbstractRecord>>} */
  const records = new Map();
  /** @type {HTMLElement|null} */
  let trigger = null;
  let openCount = 0;

  dialog.addEventListener('close', () => {
    trigger?.focus();
    trigger = null;
  });
  // A click on the backdrop (the dialog itself, outside the card) closes it, as users expect of a modal.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });

  /** @param {string} id */
  function loadRecord(id) {
    let record = records.get(id);
    if (!record) {
      record = apiFetch(`/records/${encodeURIComponent(id)}`).then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      });
      // A failed load is not remembered, so opening the card again retries.
      record.catch(() => records.delete(id));
      records.set(id, record);
    }
    return record;
  }

  return {
    async open(evidence, from) {
      const ticket = ++openCount;
      trigger = from;
      const close = labelled('button', 'close', {}, { type: 'button', class: 'close quiet', autofocus: true });
      close.addEventListener('click', () => dialog.close());
      const content = h('div', { class: 'card-content' }, labelled('p', 'loadingRecord', {}, { class: 'status' }));
      body.replaceChildren(
        // Opened from the library rather than from a marker, the card shows a record with nothing quoted.
        h('div', { class: 'card-head' }, evidence.n === undefined ? labelled('p', 'recordCard', {}, { class: 'kicker' }) : labelled('p', 'evidenceFor', { n: evidence.n }, { class: 'kicker' }), close),
        h('h2', { id: 'evidence-title', dir: 'auto' }, evidence.source.title),
        content,
      );
      if (!dialog.open) dialog.showModal();
      try {
        const record = await loadRecord(evidence.source.id);
        if (ticket === openCount) content.replaceChildren(...renderRecord(record, evidence));
      } catch {
        if (ticket !== openCount) return;
        content.replaceChildren(labelled('p', 'recordFailed', {}, { class: 'error' }), evidence.citation ? h('blockquote', { dir: 'auto' }, h('mark', {}, evidence.citation.quote)) : '');
      }
    },
  };
}

/**
 * @param {AbstractRecord} record
 * @param {Evidence} evidence
 * @returns {Node[]}
 */
function renderRecord(record, evidence) {
  const facts = h('dl', { class: 'facts' });
  /** @param {string} key @param {Node|string} value */
  const fact = (key, value) => facts.append(labelled('dt', key), h('dd', {}, value));
  if (record.originalTitle && record.originalTitle !== record.title) {
    fact('originalTitle', h('span', { lang: 'zh-CN', class: 'original-title' }, record.originalTitle));
  }
  if (record.authors?.length) fact('authors', record.authors.join(', '));
  if (record.journal) fact('journal', record.journal);
  if (record.year) fact('year', String(record.year));
  if (record.doi) fact('doi', externalLink(`https://doi.org/${encodeURI(record.doi)}`, record.doi));
  if (record.pmid && /^\d+$/.test(record.pmid)) fact('pmid', externalLink(`https://pubmed.ncbi.nlm.nih.gov/${record.pmid}/`, record.pmid));

  const abstract = h('p', { class: 'abstract', lang: langAttribute(record.language), dir: 'auto' });
  const span = quoteSpan(record.abstract, evidence.citation);
  if (span) {
    const mark = h('mark', { class: 'quoted' }, record.abstract.slice(span.start, span.end));
    abstract.append(record.abstract.slice(0, span.start), mark, record.abstract.slice(span.end));
    // Long abstracts scroll inside the card; bring the quote into view once it is laid out.
    requestAnimationFrame(() => mark.scrollIntoView({ block: 'center' }));
  } else {
    abstract.append(record.abstract);
  }
  return [facts, labelled('h3', 'abstract'), span ? labelled('p', 'quotedNote', {}, { class: 'hint' }) : '', abstract].filter((n) => n !== '').map((n) => /** @type {Node} */ (n));
}

/**
 * Where the quote sits in the abstract: the cited offsets when they still match, else the quote's first
 * occurrence (the record may have been re-read since the answer was made).
 * @param {string} abstract
 * @param {import('./turn.js').Citation|undefined} citation
 * @returns {{ start: number, end: number }|null}
 */
function quoteSpan(abstract, citation) {
  if (!citation) return null;
  if (abstract.slice(citation.start, citation.end) === citation.quote) return { start: citation.start, end: citation.end };
  const at = abstract.indexOf(citation.quote);
  return at === -1 ? null : { start: at, end: at + citation.quote.length };
}

/**
 * @param {string} href
 * @param {string} text
 */
function externalLink(href, text) {
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text, ' ', labelled('span', 'newTab', {}, { class: 'sr-only' }));
}
