/** The page served at `/`: a question box that calls `POST /ask` and shows the answer with its sources. */
export function renderPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Abstract QA</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
textarea{width:100%;font:inherit;padding:.5rem;box-sizing:border-box}
button{font:inherit;padding:.4rem 1rem;margin-top:.5rem}
#answer{white-space:pre-wrap;margin-top:1rem}
li{margin:.5rem 0}
q{background:#fff3b0}
</style>
</head>
<body>
<h1>Abstract QA</h1>
<form id="ask">
<label for="question">Ask the abstracts in your corpus (English or 中文)</label>
<textarea id="question" name="question" rows="3" required maxlength="2000"></textarea>
<button type="submit">Ask</button>
</form>
<div id="answer" aria-live="polite"></div>
<ol id="sources"></ol>
<script type="module">
const form = document.getElementById('ask');
const answer = document.getElementById('answer');
const sources = document.getElementById('sources');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  answer.textContent = 'Searching…';
  sources.replaceChildren();
  try {
    const response = await fetch('/ask', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: document.getElementById('question').value }) });
    const body = await response.json();
    if (!response.ok) { answer.textContent = body.error.message; return; }
    answer.textContent = body.answer;
    for (const c of body.citations) {
      const item = document.createElement('li');
      item.value = c.n;
      const quote = document.createElement('q');
      quote.textContent = c.quote;
      item.append(c.title + (c.year ? ' (' + c.year + ')' : '') + ': ', quote);
      sources.append(item);
    }
  } catch (error) { answer.textContent = 'The server could not be reached.'; }
});
</script>
</body>
</html>`;
}
