/**
 * The one way this page builds DOM. Text always goes in as text nodes (never HTML): titles and abstracts are
 * untrusted input from whatever corpus was loaded.
 */

/**
 * Creates an element.
 * @param {string} tag
 * @param {Record<string, unknown>} [props] `class`, `text`, `on<event>` handlers; anything else is an attribute
 *   (`true` sets it empty, `false`/`null`/`undefined` leave it out).
 * @param {...(Node|string|null|undefined|false|Array<Node|string|null|undefined|false>)} children strings become text nodes
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = String(value);
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

const HAN = /\p{Script=Han}/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HANGUL = /\p{Script=Hangul}/gu;
const LATIN = /\p{Script=Latin}/gu;

/**
 * `zh` when a question reads as Chinese: the server's `answerLanguage` (src/text/language.ts), ported so the page
 * labels a question as the server will answer it (test/text/language.test.ts holds the two to the same answers).
 * A CJK character weighs five Latin letters; Japanese (kana) and Korean (hangul) are not Chinese.
 * @param {string} text
 * @returns {'en'|'zh'}
 */
export function detectLanguage(text) {
  /** @param {RegExp} pattern */
  const count = (pattern) => text.match(pattern)?.length ?? 0;
  const han = count(HAN);
  const kana = count(KANA);
  const hangul = count(HANGUL);
  const cjk = han + kana + hangul;
  if (cjk === 0 || cjk * 5 < count(LATIN)) return 'en';
  const korean = hangul > han && hangul > kana;
  const japanese = kana / (han + kana || 1) > 0.1;
  return korean || japanese ? 'en' : 'zh';
}

/**
 * The `lang` attribute for a record or answer language code, so screen readers pick the right voice.
 * @param {string|undefined} code
 * @returns {string|undefined}
 */
export function langAttribute(code) {
  if (code === 'zh') return 'zh-CN';
  return code || undefined;
}
