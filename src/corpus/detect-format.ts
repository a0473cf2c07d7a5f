import path from 'node:path';
import { looksLikeWprimText } from './formats/wprim-text.js';

/** Every format the corpus readers understand; `plain-text` is the last-resort reader. */
export type CorpusFormat =
  | 'pubmed-xml' | 'medline' | 'ris' | 'refer' | 'bibtex' | 'csv' | 'tsv' | 'json' | 'jsonl' | 'wprim-text' | 'plain-text';

/** A format, or why the file will not be read. */
export type FormatDecision = { format: CorpusFormat } | { unsupported: string };

const TEXT_EXTENSIONS = new Set(['', '.txt', '.text', '.md', '.markdown']);

// What to do instead, for the formats people most often drop into a corpus folder by mistake.
const UNSUPPORTED_HINTS: Record<string, string> = {
  '.xlsx': ': save the sheet as CSV (UTF-8)',
  '.xls': ': save the sheet as CSV (UTF-8)',
  '.pdf': ': export the abstracts (PubMed, RIS or CSV) instead of full-text PDFs',
  '.docx': ': save as plain text, or export the references as RIS',
  '.zip': ': unzip it first',
  '.gz': ': unzip it first',
};

/**
 * Chooses a reader from the extension, then confirms or refines it by sniffing the first few kilobytes:
 * `.txt` files in particular may hold MEDLINE (PubMed's "Save → PubMed format"), RIS, EndNote/CNKI refer
 * text, PubMed XML, JSON or the WPRIM record text; only when none match is the plain-text fallback used.
 */
export function detectFormat(fileName: string, head: string): FormatDecision {
  const ext = path.extname(fileName).toLowerCase();
  const sniffed = sniffContent(head);
  switch (ext) {
    case '.xml':
      return sniffed === 'pubmed-xml' ? { format: 'pubmed-xml' } : { unsupported: 'XML file is not a PubMed article set (PubmedArticleSet)' };
    case '.nbib': case '.medline': case '.pubmed':
      return { format: 'medline' };
    case '.ris':
      return { format: sniffed === 'refer' ? 'refer' : 'ris' };
    case '.enw': case '.refer':
      return { format: sniffed === 'ris' ? 'ris' : 'refer' };
    case '.bib': case '.bibtex':
      return { format: 'bibtex' };
    case '.csv':
      return { format: 'csv' };
    case '.tsv': case '.tab':
      return { format: 'tsv' };
    case '.json':
      return { format: sniffed === 'jsonl' ? 'jsonl' : 'json' };
    case '.jsonl': case '.ndjson':
      return { format: 'jsonl' };
    default:
      if (TEXT_EXTENSIONS.has(ext)) return { format: sniffed ?? 'plain-text' };
      return { unsupported: `unsupported format (${ext})${UNSUPPORTED_HINTS[ext] ?? ''}` };
  }
}

/** Recognises a format from content alone; undefined when nothing structured is found. */
export function sniffContent(head: string): CorpusFormat | undefined {
  const text = head.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (/<(?:PubmedArticleSet|PubmedArticle|PubmedBookArticle)[\s>]/.test(text.slice(0, 20000))) return 'pubmed-xml';
  if (/^PMID-\s*\d/m.test(text)) return 'medline';
  if (/^TY\s{1,2}-\s?\S/m.test(text)) return 'ris';
  if (/^%0\s+\S/m.test(text) && /^%[TAX]\s/m.test(text)) return 'refer';
  if (/^\s*@(?:article|book|inbook|incollection|inproceedings|misc|phdthesis|report|techreport|online)\s*[{(]/im.test(text)) return 'bibtex';
  if (looksLikeWprimText(text)) return 'wprim-text';
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) {
    const objectLines = text.split('\n', 3).filter((l) => l.trim().startsWith('{')).length;
    const firstLine = start.split('\n', 1)[0]?.trim() ?? '';
    return objectLines >= 2 || (firstLine.endsWith('}') && isJson(firstLine)) ? 'jsonl' : 'json';
  }
  return undefined;
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
