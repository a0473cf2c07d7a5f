/**
 * One question and its streamed reply in the thread. A turn renders each event of `POST /ask/stream` as it
 * arrives and exposes its state as `data-state` (`loading`, `streaming`, `done`, `error`) for styling and tests.
 */
import { detectLanguage, h, langAttribute } from './dom.js';
import { labelled, t } from './i18n.js';

/**
 * @typedef {{ id: string, title: string, original_title?: string, authors: string[], journal?: string,
 *   year?: number, doi?: string, pmid?: string, markers: number[] }} SourceSummary
 * @typedef {{ n: number, id: string, title: string, quote: string, start: number, end: number }} Citation
 * @typedef {{ n: number, source: SourceSummary, citation?: Citation }} Evidence
 * @typedef {{ question: string, history: string[], openEvidence: (evidence: Evidence, trigger: HTMLElement) => void,
 *   onRetry: (turn: Turn) => void }} TurnOptions
 */

const PARTIAL_MARKER = /\[\d*$/;
const MARKER = /\[(\d+)\]/g;

/** A question and its reply, as an `<li>` of the thread. */
export class Turn {
  // The reply's parts, built afresh by start() (which Retry calls again).
  /** @type {HTMLElement} */ meta;
  /** @type {HTMLElement} */ notice;
  /** @type {HTMLElement} */ status;
  /** @type {HTMLElement} */ answer;
  /** @type {HTMLElement} */ sourcesBlock;
  /** @type {HTMLElement} */ error;
  /** The filters the question was first asked with; Retry asks within the same bounds. @type {import('./filters.js').AskFilters | undefined} */
  filters;

  /** @param {TurnOptions} options */
  constructor(options) {
    this.question = options.question;
    this.history = options.history;
    this.options = options;
    /** @type {Map<number, SourceSummary>} */
    this.sourceByMarker = new Map();
    /** @type {Map<number, Citation>} */
    this.citationByMarker = new Map();
    this.pending = '';
    this.chunks = 0;
    this.reply = h('div', { class: 'reply' });
    this.element = h(
      'li',
      { class: 'turn' },
      h('div', { class: 'ask' }, labelled('span', 'you', {}, { class: 'who' }), h('p', { class: 'question', dir: 'auto', lang: langAttribute(detectLanguage(this.question)) }, this.question)),
      this.reply,
    );
  }

  /** Clears the reply and shows the loading state; also what Retry does. */
  start() {
    this.sourceByMarker.clear();
    this.citationByMarker.clear();
    this.pending = '';
    this.chunks = 0;
    this.setState('loading');
    this.meta = h('div', { class: 'meta' });
    this.notice = h('div', { class: 'notice', hidden: true });
    this.status = h('p', { class: 'status', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), labelled('span', 'searching'));
    this.answer = h('p', { class: 'answer', 'aria-live': 'polite', 'aria-busy': 'true' });
    this.sourcesBlock = h('div', { class: 'sources-block', hidden: true });
    this.error = h('div', { class: 'error', role: 'alert', hidden: true });
    this.reply.replaceChildren(this.meta, this.notice, this.status, this.answer, this.sourcesBlock, this.error);
  }

  /**
   * The `sources` event: what is cited, whether the corpus answers, and what was searched.
   * @param {{ language: 'en'|'zh', grounded: boolean, searched_question?: string, translated_terms?: string[],
   *   retrieval: { mode: string }, answer_mode?: 'extractive'|'generated', sources: SourceSummary[] }} data
   */
  onSources(data) {
    this.setState('streaming');
    this.status.remove();
    this.element.dataset.grounded = String(data.grounded);
    for (const source of data.sources) for (const n of source.markers) this.sourceByMarker.set(n, source);
    if (data.searched_question) {
      this.meta.append(
        h('p', { class: 'searched' }, labelled('span', 'searched', {}, { class: 'label' }), h('q', { dir: 'auto' }, data.searched_question), ' ', h('span', { class: 'note' }, '(', labelled('span', 'searchedNote'), ')')),
      );
    }
    if (data.translated_terms?.length) {
      const terms = data.translated_terms.join(data.language === 'zh' ? '、' : ', ');
      this.meta.append(
        h('p', { class: 'translated' }, labelled('span', 'searched', {}, { class: 'label' }), ' ', h('span', { class: 'translated-terms', dir: 'auto' }, terms), ' ', h('span', { class: 'note' }, '(', labelled('span', 'translatedNote'), ')')),
      );
    }
    this.meta.append(
      h('p', { class: 'language' }, labelled('span', 'answerLanguage', {}, { class: 'label' }), labelled('span', `lang_${data.language}`, {}, { class: 'answer-language' }), ' · ', labelled('span', `retrieval_${data.retrieval.mode}`), ' · ', labelled('span', `mode_${data.answer_mode ?? 'extractive'}`)),
    );
    this.answer.lang = langAttribute(data.language) ?? '';
    if (!data.grounded) {
      // The answer text itself names the closest sources (in the answer's language); the notice only flags it.
      this.notice.hidden = false;
      this.notice.replaceChildren(labelled('p', 'noAnswerTitle', {}, { class: 'notice-title' }), data.sources.length > 0 ? '' : labelled('p', 'noSourcesText'));
    }
    if (data.sources.length > 0) this.renderSources(data.sources, data.grounded);
  }

  /**
   * An `answer` event: more answer text. Markers become links as soon as they are complete.
   * @param {string} text
   */
  onAnswer(text) {
    this.chunks += 1;
    this.element.dataset.chunks = String(this.chunks);
    let ready = this.pending + text;
    const partial = ready.match(PARTIAL_MARKER);
    this.pending = partial ? partial[0] : '';
    if (partial) ready = ready.slice(0, partial.index);
    this.answer.append(...this.linkMarkers(ready));
  }

  /** @param {Citation[]} citations the exact spans, used to highlight them in the evidence card */
  onCitations(citations) {
    for (const citation of citations) this.citationByMarker.set(citation.n, citation);
  }

  /** The `done` event. */
  onDone() {
    if (this.pending) this.answer.append(this.pending);
    this.pending = '';
    this.answer.setAttribute('aria-busy', 'false');
    this.setState('done');
  }

  /**
   * Shows a failure with a Retry button; what has arrived so far stays visible.
   * @param {'server'|'dropped'|'network'} kind
   * @param {string} [message] the server's message, for `server`
   */
  fail(kind, message) {
    this.status.remove();
    this.answer.setAttribute('aria-busy', 'false');
    this.setState('error');
    const key = kind === 'server' ? 'errorServer' : kind === 'dropped' ? 'errorDropped' : 'errorNetwork';
    const retry = labelled('button', 'retry', {}, { type: 'button', class: 'retry' });
    retry.addEventListener('click', () => this.options.onRetry(this));
    this.error.hidden = false;
    this.error.replaceChildren(labelled('p', key, { message: message ?? '' }), retry);
  }

  /** @param {'loading'|'streaming'|'done'|'error'} state */
  setState(state) {
    // Only the answer itself is marked busy while it streams: screen readers that honour aria-busy then read
    // it once, whole, instead of in 30-character pieces; a busy ancestor would also silence the status line.
    this.element.dataset.state = state;
  }

  /**
   * @param {SourceSummary[]} sources
   * @param {boolean} grounded
   */
  renderSources(sources, grounded) {
    const headingId = `sources-${Math.random().toString(36).slice(2, 10)}`;
    const list = h('ol', { class: 'sources', 'aria-labelledby': headingId });
    for (const source of sources) {
      const where = [source.journal, source.year].filter(Boolean).join(' · ');
      list.append(
        h(
          'li',
          { class: 'source' },
          h('span', { class: 'markers' }, source.markers.map((n) => this.markerLink(n))),
          ' ',
          h('span', { class: 'source-title', dir: 'auto' }, source.title),
          source.original_title && source.original_title !== source.title ? h('span', { class: 'source-original', lang: 'zh-CN' }, source.original_title) : null,
          where ? h('span', { class: 'source-meta' }, where) : null,
        ),
      );
    }
    this.sourcesBlock.hidden = false;
    this.sourcesBlock.replaceChildren(labelled('h3', grounded ? 'sources' : 'closestSources', {}, { id: headingId }), list);
  }

  /**
   * Text with every complete `[n]` of a known source turned into a link.
   * @param {string} text
   * @returns {Array<Node|string>}
   */
  linkMarkers(text) {
    /** @type {Array<Node|string>} */
    const out = [];
    let last = 0;
    for (const match of text.matchAll(MARKER)) {
      const n = Number(match[1]);
      if (!this.sourceByMarker.has(n)) continue;
      out.push(text.slice(last, match.index), this.markerLink(n));
      last = (match.index ?? 0) + match[0].length;
    }
    out.push(text.slice(last));
    return out.filter((part) => part !== '');
  }

  /**
   * A `[n]` link. Its href is the record's JSON (useful from a new tab); a plain click opens the evidence card.
   * @param {number} n
   * @returns {HTMLElement}
   */
  markerLink(n) {
    const source = /** @type {SourceSummary} */ (this.sourceByMarker.get(n));
    const link = h('a', { class: 'cite', href: `/records/${encodeURIComponent(source.id)}`, 'data-n': n, 'data-i18n-label': 'citeLabel' }, `[${n}]`);
    link.setAttribute('aria-label', t('citeLabel', { n }));
    link.addEventListener('click', (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      this.options.openEvidence({ n, source, citation: this.citationByMarker.get(n) }, link);
    });
    return link;
  }
}
