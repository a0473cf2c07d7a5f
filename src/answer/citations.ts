import type { AbstractRecord } from '../corpus/record.js';

/** One cited sentence: `quote === abstract.slice(start, end)` of record `id`. */
export interface Citation {
  /** The marker number used in the answer, `[n]`. */
  n: number;
  id: string;
  title: string;
  year?: number;
  journal?: string;
  doi?: string;
  pmid?: string;
  quote: string;
  start: number;
  end: number;
  /** Evidence score, 0–1. */
  score: number;
}

/** Builds a citation for a span of a record's abstract. */
export function citeSpan(n: number, record: AbstractRecord, start: number, end: number, score: number): Citation {
  return {
    n,
    id: record.id,
    title: record.title || record.originalTitle || firstWords(record.abstract),
    ...(record.year !== undefined && { year: record.year }),
    ...(record.journal && { journal: record.journal }),
    ...(record.doi && { doi: record.doi }),
    ...(record.pmid && { pmid: record.pmid }),
    quote: record.abstract.slice(start, end),
    start,
    end,
    score: Math.round(score * 1000) / 1000,
  };
}

/**
 * Checks an answer against its citations: every `[n]` marker has a citation, and every quote is exactly the
 * cited span of its abstract. Returns the problems found (empty when the answer is sound). Generated answers are
 * checked with this before they are returned (src/answer/llm/generate-answer.ts); tests hold every answer to it.
 * @example
 * checkCitations(answer.answer, answer.citations, (id) => index.recordById.get(id)); // [] when sound
 */
export function checkCitations(answer: string, citations: Citation[], lookup: (id: string) => AbstractRecord | undefined): string[] {
  const problems: string[] = [];
  const numbers = new Set(citations.map((c) => c.n));
  for (const match of answer.matchAll(/\[(\d+)\]/g)) {
    if (!numbers.has(Number(match[1]))) problems.push(`marker [${match[1]}] has no citation`);
  }
  for (const citation of citations) {
    const record = lookup(citation.id);
    if (!record) problems.push(`citation [${citation.n}] names unknown record ${citation.id}`);
    else if (record.abstract.slice(citation.start, citation.end) !== citation.quote) {
      problems.push(`citation [${citation.n}] quote is not the abstract's text at ${citation.start}-${citation.end}`);
    }
  }
  return problems;
}

function firstWords(text: string): string {
  const cut = text.slice(0, 80);
  return cut.length < text.length ? `${cut}…` : cut;
}
