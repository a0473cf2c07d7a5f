/**
 * The HTML shell of the chat page served at `/`. Labels are written in English here so the page reads right
 * before its script runs; `static/i18n.js` switches them to Chinese. All behaviour lives in `static/*.js`.
 */
export function renderPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Abstract QA</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/app.css">
<link rel="stylesheet" href="/ui/library.css">
<script type="module" src="/ui/app.js"></script>
</head>
<body>
<header class="top">
  <div class="brand">
    <h1>Abstract QA</h1>
    <p class="tagline" data-i18n="tagline">Answers quoted exactly from the abstracts in your corpus, with their sources.</p>
  </div>
  <div class="top-tools">
    <p id="indexing" class="badge progress" role="status" hidden></p>
    <details id="health" class="badge" hidden>
      <summary data-i18n="lexicalBadge">Keyword search only</summary>
      <p id="health-hint" data-i18n="lexicalBadgeHint"></p>
    </details>
    <button type="button" id="library-toggle" class="quiet" data-i18n="libraryOpen" aria-haspopup="dialog">Library</button>
    <button type="button" id="lang-toggle" class="quiet" lang="zh-CN" data-i18n="langToggle" data-i18n-label="langToggleLabel" aria-label="Show labels in Chinese">中文</button>
  </div>
</header>
<main>
  <section class="thread" aria-labelledby="thread-title">
    <h2 id="thread-title" class="sr-only" data-i18n="conversation">Conversation</h2>
    <div id="empty" class="empty">
      <p data-i18n="emptyTitle">Ask a question about the abstracts. Follow-up questions build on the earlier ones.</p>
      <p class="examples"><span data-i18n="examples">Try:</span>
        <button type="button" class="example quiet">How does T cell exhaustion limit CAR-T therapy?</button>
        <button type="button" class="example quiet" lang="zh-CN">如何逆转CAR-T细胞耗竭？</button>
      </p>
    </div>
    <ol id="turns" class="turns"></ol>
  </section>
  <form id="ask-form" class="composer" novalidate>
    <label for="question" data-i18n="questionLabel">Your question (English or 中文)</label>
    <textarea id="question" name="question" rows="2" maxlength="2000" required aria-describedby="question-hint"></textarea>
    <p id="question-hint" class="hint" data-i18n="questionHint">Enter sends, Shift+Enter starts a new line.</p>
    <details id="filters" class="filters"></details>
    <div class="actions">
      <button type="submit" id="ask-button" data-i18n="ask">Ask</button>
      <button type="button" id="new-chat" class="quiet" data-i18n="newChat">New conversation</button>
    </div>
  </form>
</main>
<dialog id="library" aria-labelledby="library-title"></dialog>
<dialog id="evidence" aria-labelledby="evidence-title"><div id="evidence-body" class="card"></div></dialog>
<dialog id="key-dialog" aria-labelledby="key-title" aria-describedby="key-reason">
  <form id="key-form" class="card key-form" novalidate>
    <h2 id="key-title" data-i18n="keyTitle">API key needed</h2>
    <p id="key-reason" data-i18n="keyNeeded">This server answers only with an API key.</p>
    <label for="key-input" data-i18n="keyLabel">API key</label>
    <input id="key-input" name="key" type="password" autocomplete="off" spellcheck="false" required>
    <div class="actions">
      <button type="submit" data-i18n="keySave">Use this key</button>
      <button type="button" class="quiet" id="key-cancel" data-i18n="keyCancel">Cancel</button>
    </div>
  </form>
</dialog>
<noscript><p class="error">This page needs JavaScript. The API (POST /ask) works without it.</p></noscript>
</body>
</html>`;
}
