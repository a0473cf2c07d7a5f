/**
 * What an answer takes away with it: "Copy answer" (Markdown or plain text, with numbered references and the
 * quoted sentences) and the cited records as RIS or BibTeX for a reference manager.
 */
import { h } from './dom.js';
import { labelled, t } from './i18n.js';

/**
 * @typedef {import('./turn.js').Turn} Turn
 * @typedef {import('./turn.js').SourceSummary} SourceSummary
 */

/**
 * Adds the tools under a finished turn that cites something.
 * @param {Turn} turn
 */
export function addAnswerTools(turn) {
  if (turn.sourceByMarker.size === 0) return;
  const ids = [...new Set([...turn.sourceByMarker.values()].map((s) => s.id))];
  const query = ids.map((id) => `id=${encodeURIComponent(id)}`).join('&');
  const status = h('p', { class: 'copy-status hint', role: 'status' });
  const copyButton = (/** @type {'markdown'|'plain'} */ style) => {
    const button = labelled('button', style === 'markdown' ? 'copyMarkdown' : 'copyPlain', {}, { type: 'button', class: 'quiet', 'data-copy': style });
    button.addEventListener('click', () => void copy(answerText(turn, style), status));
    return button;
  };
  const exportLink = (/** @type {'ris'|'bibtex'} */ format) =>
    labelled('a', format === 'ris' ? 'exportCitedRis' : 'exportCitedBibtex', {}, { class: 'export-link', href: `/records/export?${query}&format=${format}`, download: '', 'data-format': format });
  turn.reply.append(h('div', { class: 'answer-tools' }, copyButton('markdown'), copyButton('plain'), exportLink('ris'), exportLink('bibtex'), status));
}

/**
 * The answer with numbered references, as Markdown or plain text.
 * @param {Turn} turn
 * @param {'markdown'|'plain'} style
 * @returns {string}
 */
export function answerText(turn, style) {
  const markdown = style === 'markdown';
  const answer = (turn.answer.textContent ?? '').trim();
  const lines = [markdown ? `**${turn.question}**` : turn.question, '', answer, '', markdown ? `**${t('references')}**` : t('references')];
  for (const n of [...turn.sourceByMarker.keys()].sort((a, b) => a - b)) {
    const source = /** @type {SourceSummary} */ (turn.sourceByMarker.get(n));
    const quote = turn.citationByMarker.get(n)?.quote;
    const reference = describeSource(source, markdown);
    lines.push(markdown ? `${n}. ${reference}` : `[${n}] ${reference}`);
    if (quote) lines.push(markdown ? `   > ${quote}` : `    “${quote}”`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `Authors (year). Title. Journal. doi / PMID`
 * @param {SourceSummary} source
 * @param {boolean} markdown
 */
function describeSource(source, markdown) {
  const authors = source.authors.length > 3 ? `${source.authors.slice(0, 3).join(', ')}, et al.` : source.authors.join(', ');
  const title = [source.title, source.original_title && source.original_title !== source.title ? source.original_title : ''].filter(Boolean).join(' / ');
  const parts = [
    [authors, source.year ? `(${source.year})` : ''].filter(Boolean).join(' '),
    title,
    source.journal ? (markdown ? `*${source.journal}*` : source.journal) : '',
    source.doi ? `https://doi.org/${source.doi}` : '',
    source.pmid ? `PMID: ${source.pmid}` : '',
  ];
  return parts.filter(Boolean).map((p) => p.replace(/[.。]\s*$/, '')).join('. ') + '.';
}

/**
 * Copies with the Clipboard API; when the browser refuses, shows the text selected so Ctrl+C copies it.
 * @param {string} text
 * @param {HTMLElement} status
 */
async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.replaceChildren(labelled('span', 'copied'));
  } catch {
    const area = h('textarea', { class: 'copy-fallback', rows: 6, readonly: true });
    /** @type {HTMLTextAreaElement} */ (area).value = text;
    status.replaceChildren(labelled('span', 'copyFailed'), area);
    /** @type {HTMLTextAreaElement} */ (area).select();
    area.focus();
  }
}
