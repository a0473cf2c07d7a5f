/**
 * The API key, when the server needs one: asked once in a dialog, kept in sessionStorage (this tab only, gone when
 * it closes), sent as `Authorization: Bearer`. A 401 asks again, saying why the key was refused; every other
 * refusal (rate limit, busy, shutting down, timeout) gets a reason in the page's language.
 */
import { t } from './i18n.js';

const STORAGE_KEY = 'abstract-qa.api-key';

/** Refusals the page explains in its own words (the server's message is English only). */
const EXPLAINED = new Set(['unauthorized', 'rate_limited', 'overloaded', 'shutting_down', 'timeout', 'method_not_allowed']);

/** @returns {string|null} */
function storedKey() {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked: the key lives only until the page reloads
  }
}

let memoryKey = storedKey();

/** @param {string} key */
function keep(key) {
  memoryKey = key;
  try {
    sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Kept in memory only.
  }
}

/** @returns {boolean} */
export function hasKey() {
  return Boolean(memoryKey);
}

/**
 * `fetch` with the key attached; on 401 asks for a (new) key and tries once more with it.
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
export async function apiFetch(url, init = {}) {
  const send = () => fetch(url, { ...init, headers: { ...init.headers, ...(memoryKey && { authorization: `Bearer ${memoryKey}` }) } });
  const response = await send();
  if (response.status !== 401) return response;
  const reason = await refusalMessage(response.clone());
  if (!(await askForKey(memoryKey ? 'keyRefused' : 'keyNeeded', reason))) return response;
  return send();
}

/**
 * Shows the key dialog and resolves true once a key was entered (false if dismissed).
 * @param {'keyNeeded'|'keyRefused'} why
 * @param {string} [detail]
 * @returns {Promise<boolean>}
 */
export function askForKey(why, detail = '') {
  const dialog = /** @type {HTMLDialogElement} */ (document.getElementById('key-dialog'));
  const form = /** @type {HTMLFormElement} */ (document.getElementById('key-form'));
  const input = /** @type {HTMLInputElement} */ (document.getElementById('key-input'));
  const reason = /** @type {HTMLElement} */ (document.getElementById('key-reason'));
  reason.dataset.i18n = why;
  reason.dataset.detail = detail;
  reason.textContent = t(why, { detail });
  input.value = '';
  return new Promise((resolve) => {
    const onSubmit = (/** @type {SubmitEvent} */ event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return input.focus();
      keep(key);
      dialog.close();
    };
    form.addEventListener('submit', onSubmit);
    document.getElementById('key-cancel')?.addEventListener('click', () => dialog.close(), { once: true });
    dialog.addEventListener('close', () => {
      form.removeEventListener('submit', onSubmit);
      resolve(input.value.trim() !== '' && memoryKey === input.value.trim());
    }, { once: true });
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}

/**
 * Why a reply was refused, in the page's language when it is a refusal the page knows, else the server's message.
 * @param {Response} response
 * @returns {Promise<string>}
 */
export async function refusalMessage(response) {
  let body;
  try {
    body = await response.json();
  } catch {
    return `HTTP ${response.status}`;
  }
  const code = body?.error?.code;
  if (typeof code === 'string' && EXPLAINED.has(code)) return t(`refused_${code}`, { seconds: response.headers.get('retry-after') ?? '' });
  return typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
}
