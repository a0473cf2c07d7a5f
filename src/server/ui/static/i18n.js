/**
 * Interface labels in English and Chinese. Elements name their label with `data-i18n` (text),
 * `data-i18n-label` (aria-label) or `data-i18n-title` (title); `{name}` in a label is filled from the element's
 * `data-name` attribute, so a re-label never needs to know where a value came from.
 */

/** @typedef {'en'|'zh'} UiLanguage */

/** @type {Record<UiLanguage, Record<string, string>>} */
const LABELS = {
  en: {
    tagline: 'Answers quoted exactly from the abstracts in your corpus, with their sources.',
    taglineCount: 'Answers quoted exactly from the {n} abstracts in your corpus, with their sources.',
    langToggle: '中文',
    langToggleLabel: 'Show labels in Chinese',
    lexicalBadge: 'Keyword search only',
    lexicalBadgeHint: 'No embedding model is loaded, so retrieval is lexical only (exact words, no synonyms). {warning}',
    indexingStarting: 'Indexing: preparing…',
    indexingProgress: 'Indexing {done}/{total} ({percent}%)',
    indexingProgressEta: 'Indexing {done}/{total} ({percent}%), about {minutes} min left',
    conversation: 'Conversation',
    emptyTitle: 'Ask a question about the abstracts. Follow-up questions build on the earlier ones.',
    examples: 'Try:',
    questionLabel: 'Your question (English or 中文)',
    questionHint: 'Enter sends, Shift+Enter starts a new line.',
    ask: 'Ask',
    asking: 'Answering…',
    newChat: 'New conversation',
    you: 'You asked',
    answer: 'Answer',
    searching: 'Searching the abstracts…',
    searched: 'Searched for:',
    searchedNote: 'a follow-up, so words from the earlier question were added',
    translatedNote: 'dictionary translation of your question, for abstracts in the other language',
    answerLanguage: 'Answer language:',
    lang_en: 'English',
    lang_zh: 'Chinese',
    retrieval_lexical: 'keyword search',
    retrieval_hybrid: 'keyword + semantic search',
    retrieval_dense: 'semantic search',
    mode_extractive: 'quoted from the abstracts',
    mode_generated: 'written by the language model from the quotes',
    sources: 'Sources',
    closestSources: 'Closest sources',
    noAnswerTitle: 'No answer in the corpus',
    noSourcesText: 'None of the abstracts answers this question, and none is close to it.',
    errorServer: 'The server could not answer: {message}',
    errorDropped: 'The connection dropped before the answer was complete.',
    errorNetwork: 'The server could not be reached.',
    retry: 'Retry',
    citeLabel: 'Source {n}: show the evidence',
    evidenceFor: 'Evidence for [{n}]',
    originalTitle: 'Original title',
    authors: 'Authors',
    journal: 'Journal',
    year: 'Year',
    doi: 'DOI',
    pmid: 'PMID',
    abstract: 'Abstract',
    quotedNote: 'The quoted sentence is highlighted.',
    loadingRecord: 'Loading the abstract…',
    recordFailed: 'The abstract could not be loaded. The quoted sentence was:',
    newTab: '(opens in a new tab)',
    close: 'Close',
    emptyQuestion: 'Type a question first.',
    keyTitle: 'API key needed',
    keyNeeded: 'This server answers only with an API key. Ask whoever runs it for one; this tab keeps it until you close it. {detail}',
    keyRefused: 'The server refused that key: {detail} Enter a valid key.',
    keyLabel: 'API key',
    keySave: 'Use this key',
    keyCancel: 'Cancel',
    refused_unauthorized: 'the API key is missing or not valid.',
    refused_rate_limited: 'too many questions in a minute; wait {seconds} s and retry.',
    refused_overloaded: 'the server is busy with other answers; retry in {seconds} s.',
    refused_shutting_down: 'the server is restarting; retry in a moment.',
    refused_timeout: 'the answer took too long and was abandoned.',
    refused_method_not_allowed: 'the request was not of a kind the server accepts.',
  },
  zh: {
    tagline: '答案逐字引自语料库中的摘要，并附出处。',
    taglineCount: '答案逐字引自语料库中的 {n} 篇摘要，并附出处。',
    langToggle: 'English',
    langToggleLabel: '界面切换为英文',
    lexicalBadge: '仅关键词检索',
    lexicalBadgeHint: '未加载向量模型，检索只匹配关键词（不识别同义词）。{warning}',
    indexingStarting: '正在建立索引：准备中…',
    indexingProgress: '正在建立索引 {done}/{total}（{percent}%）',
    indexingProgressEta: '正在建立索引 {done}/{total}（{percent}%），约剩 {minutes} 分钟',
    conversation: '对话',
    emptyTitle: '就摘要提出问题。追问会沿用前面的问题。',
    examples: '试试：',
    questionLabel: '您的问题（中文或英文）',
    questionHint: '按 Enter 发送，Shift+Enter 换行。',
    ask: '提问',
    asking: '正在回答…',
    newChat: '新对话',
    you: '您的问题',
    answer: '回答',
    searching: '正在检索摘要…',
    searched: '实际检索：',
    searchedNote: '这是追问，已加入前一个问题的关键词',
    translatedNote: '问题的词典翻译，用于检索另一种语言的摘要',
    answerLanguage: '回答语言：',
    lang_en: '英文',
    lang_zh: '中文',
    retrieval_lexical: '关键词检索',
    retrieval_hybrid: '关键词 + 语义检索',
    retrieval_dense: '语义检索',
    mode_extractive: '摘要原文引用',
    mode_generated: '由语言模型依据引文撰写',
    sources: '出处',
    closestSources: '最接近的摘要',
    noAnswerTitle: '语料库中没有答案',
    noSourcesText: '没有摘要回答这个问题，也没有相近的摘要。',
    errorServer: '服务器无法回答：{message}',
    errorDropped: '连接在回答完成前中断。',
    errorNetwork: '无法连接服务器。',
    retry: '重试',
    citeLabel: '出处 {n}：查看证据',
    evidenceFor: '[{n}] 的证据',
    originalTitle: '原文标题',
    authors: '作者',
    journal: '期刊',
    year: '年份',
    doi: 'DOI',
    pmid: 'PMID',
    abstract: '摘要',
    quotedNote: '被引用的句子已高亮。',
    loadingRecord: '正在加载摘要…',
    recordFailed: '无法加载摘要。被引用的句子是：',
    newTab: '（在新标签页打开）',
    close: '关闭',
    emptyQuestion: '请先输入问题。',
    keyTitle: '需要 API 密钥',
    keyNeeded: '此服务器需要 API 密钥才能回答。请向服务器管理员索取；本标签页会保存密钥直到关闭。{detail}',
    keyRefused: '服务器拒绝了该密钥：{detail}请输入有效的密钥。',
    keyLabel: 'API 密钥',
    keySave: '使用此密钥',
    keyCancel: '取消',
    refused_unauthorized: 'API 密钥缺失或无效。',
    refused_rate_limited: '一分钟内提问过多；请等待 {seconds} 秒后重试。',
    refused_overloaded: '服务器正忙于其他回答；请在 {seconds} 秒后重试。',
    refused_shutting_down: '服务器正在重启；请稍后重试。',
    refused_timeout: '回答耗时过长，已放弃。',
    refused_method_not_allowed: '服务器不接受这种请求。',
  },
};

/** @type {UiLanguage} */
let current = 'en';

/**
 * Adds a feature's labels (both languages), so each feature keeps its own label file.
 * @param {Record<UiLanguage, Record<string, string>>} labels
 */
export function addLabels(labels) {
  Object.assign(LABELS.en, labels.en);
  Object.assign(LABELS.zh, labels.zh);
}

/** @returns {UiLanguage} */
export function uiLanguage() {
  return current;
}

/**
 * A label in the current language with `{name}` placeholders filled.
 * @param {string} key
 * @param {Record<string, string|number|undefined>} [vars]
 * @returns {string}
 */
export function t(key, vars = {}) {
  const text = LABELS[current][key] ?? LABELS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? '')).trim();
}

/**
 * Switches every label on the page (static and already rendered turns) to a language.
 * @param {UiLanguage} language
 */
export function setUiLanguage(language) {
  current = language;
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  applyLabels(document.body);
}

/**
 * Fills the labels of `root` and its descendants.
 * @param {Element} root
 */
export function applyLabels(root) {
  const nodes = [root, ...root.querySelectorAll('[data-i18n], [data-i18n-label], [data-i18n-title]')];
  for (const node of nodes) {
    if (!(node instanceof HTMLElement)) continue;
    const vars = { ...node.dataset };
    if (node.dataset.i18n) node.textContent = t(node.dataset.i18n, vars);
    if (node.dataset.i18nLabel) node.setAttribute('aria-label', t(node.dataset.i18nLabel, vars));
    if (node.dataset.i18nTitle) node.setAttribute('title', t(node.dataset.i18nTitle, vars));
  }
}

/**
 * An element whose text is a label, kept in the current language by {@link applyLabels}.
 * @param {string} tag
 * @param {string} key
 * @param {Record<string, string|number|undefined>} [vars] also stored as `data-*` for later re-labelling
 * @param {Record<string, unknown>} [props] extra attributes
 * @returns {HTMLElement}
 */
export function labelled(tag, key, vars = {}, props = {}) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : String(value));
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) node.dataset[name] = String(value);
  node.dataset.i18n = key;
  node.textContent = t(key, vars);
  return node;
}
