import type { RecordDraft } from '../record-draft.js';
import { parseYear } from '../record-id.js';
import type { RecordSink } from '../reader-types.js';
import { decodeTex } from './tex-text.js';

/**
 * Reader for BibTeX / BibLaTeX (`.bib`) as Zotero, JabRef, Google Scholar and this project's export write it:
 * `@type{key, name = {value} | "value" | 123 | macro, …}` with `#` concatenation and `@string` macros.
 * Fields: title, origtitle, author/editor (split on ` and `), journal/journaltitle, year/date, volume,
 * number/issue, pages, doi, pmid (or eprint with eprinttype pubmed), keywords, language/langid, abstract.
 * The citation key is kept in meta; ids come from PMID, DOI or content like any bibliographic record.
 */
export function readBibtex(text: string, sink: RecordSink): void {
  const scanner = new Scanner(text);
  const macros = new Map<string, string>(MONTHS);
  while (scanner.seek('@')) {
    const line = scanner.line();
    const type = scanner.word().toLowerCase();
    scanner.space();
    const open = scanner.peek();
    if (open !== '{' && open !== '(') {
      sink.note(line, `"@${type}" is not followed by { or (`);
      continue;
    }
    scanner.pos++;
    try {
      if (type === 'comment') scanner.balanced(open === '{' ? '}' : ')');
      else if (type === 'preamble') scanner.value(macros);
      else if (type === 'string') {
        const [name, value] = scanner.field(macros);
        if (name) macros.set(name, value);
      } else sink.record(draftFromEntry(type, scanner.entry(macros, open === '{' ? '}' : ')')), line);
    } catch (error) {
      sink.skip(line, `BibTeX entry could not be read: ${(error as Error).message}`);
    }
  }
}

const MONTHS: Array<[string, string]> = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, String(i + 1)]);

function draftFromEntry(type: string, entry: { key: string; fields: Map<string, string> }): RecordDraft {
  const get = (...names: string[]) => {
    for (const name of names) {
      const value = entry.fields.get(name);
      if (value !== undefined && value.trim()) return value;
    }
    return undefined;
  };
  const text = (...names: string[]) => {
    const raw = get(...names);
    return raw === undefined ? undefined : decodeTex(raw);
  };
  const list = (raw: string | undefined, separator: RegExp) => (raw ? splitTopLevel(raw, separator).map(decodeTex).filter(Boolean) : []);
  const keywordsRaw = get('keywords', 'keyword');
  const eprintPmid = /pubmed/i.test(get('eprinttype') ?? '') ? text('eprint') : undefined;
  return {
    title: text('title') ?? '',
    originalTitle: text('origtitle'),
    abstract: text('abstract'),
    authors: list(get('author', 'editor'), /\s+and\s+/i),
    keywords: list(keywordsRaw, keywordsRaw?.includes(';') ? /\s*;\s*/ : /\s*,\s*/),
    journal: text('journal', 'journaltitle'),
    year: parseYear(text('year', 'date')),
    volume: text('volume'),
    issue: text('number', 'issue'),
    pages: text('pages')?.replace(/\s*-{1,3}\s*/, '-'),
    doi: text('doi'),
    pmid: text('pmid') ?? eprintPmid,
    articleLanguage: text('language', 'langid'),
    meta: { bibtexType: type, citationKey: entry.key },
  };
}

/** Splits raw TeX at a separator that sits outside braces (so `{Bill and Melinda Gates Foundation}` stays whole). */
function splitTopLevel(raw: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const sticky = new RegExp(separator.source, `${separator.flags.replace('g', '')}y`);
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char === '\\') i++;
    else if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (depth === 0) {
      sticky.lastIndex = i;
      const match = sticky.exec(raw);
      if (match && match[0].length > 0) {
        parts.push(raw.slice(start, i));
        start = i + match[0].length;
        i = start - 1;
      }
    }
  }
  parts.push(raw.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** A cursor over the file, reading the pieces of BibTeX syntax. */
class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  seek(char: string): boolean {
    const at = this.text.indexOf(char, this.pos);
    if (at === -1) return false;
    this.pos = at + 1;
    return true;
  }
  line(): number {
    let n = 1;
    for (let i = 0; i < this.pos; i++) if (this.text.charCodeAt(i) === 10) n++;
    return n;
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }
  word(): string {
    this.space();
    const match = /^[^\s,={}()"#@%]+/.exec(this.text.slice(this.pos, this.pos + 200));
    this.pos += match?.[0].length ?? 0;
    return match?.[0] ?? '';
  }
  /** Text up to the matching close, braces balanced; the raw content without the closing character. */
  balanced(close: string): string {
    const start = this.pos;
    let depth = 0;
    for (; this.pos < this.text.length; this.pos++) {
      const char = this.text[this.pos];
      if (char === '\\') this.pos++;
      else if (char === '{') depth++;
      else if (char === '}' && depth > 0) depth--;
      else if (char === close && depth === 0) return this.text.slice(start, this.pos++);
    }
    throw new Error(`no closing "${close}" before the end of the file`);
  }
  value(macros: Map<string, string>): string {
    const parts: string[] = [];
    for (;;) {
      this.space();
      const char = this.peek();
      if (char === '{') {
        this.pos++;
        parts.push(this.balanced('}'));
      } else if (char === '"') {
        this.pos++;
        parts.push(this.balanced('"'));
      } else {
        const word = this.word();
        if (!word) throw new Error(`a value was expected at "${this.text.slice(this.pos, this.pos + 20)}"`);
        parts.push(/^\d+$/.test(word) ? word : (macros.get(word.toLowerCase()) ?? word));
      }
      this.space();
      if (this.peek() !== '#') return parts.join('');
      this.pos++;
    }
  }
  field(macros: Map<string, string>): [string, string] {
    const name = this.word().toLowerCase();
    this.space();
    if (this.peek() !== '=') throw new Error(`"=" expected after field "${name}"`);
    this.pos++;
    return [name, this.value(macros)];
  }
  entry(macros: Map<string, string>, close: string): { key: string; fields: Map<string, string> } {
    const key = this.word();
    const fields = new Map<string, string>();
    for (;;) {
      this.space();
      const char = this.peek();
      if (char === ',') this.pos++;
      else if (char === close) {
        this.pos++;
        return { key, fields };
      } else if (char === undefined || char === '@') throw new Error('entry ends without its closing brace');
      else {
        const [name, value] = this.field(macros);
        fields.set(name, value);
      }
    }
  }
}
