/** SciFact: do the citations of an answer hit the gold rationale sentences? (see DEFINITIONS.scifactCitation) */
import type { AbstractRecord } from '../../src/corpus/record.js';
import { splitSentences } from '../../src/text/sentences.js';
import type { Env } from './cached-index.js';
import type { QueryRow } from './data.js';
import { log, pct, ratio } from './format.js';
import { ask } from './lexical-ask.js';
import type { Setting } from './settings.js';

/** Character spans of the gold rationale sentences of a SciFact claim, per evidence abstract. */
function rationaleSpans(q: QueryRow, recordById: Map<string, AbstractRecord>): Map<string, Array<[number, number]>> {
  const spans = new Map<string, Array<[number, number]>>();
  for (const [docId, evidence] of Object.entries(q.answer?.evidence ?? {})) {
    const sentenceSpans = recordById.get(docId)?.meta?.sentence_spans as Array<[number, number]> | undefined;
    if (!sentenceSpans) continue;
    const indices = new Set(evidence.rationales.flat());
    spans.set(docId, [...indices].map((i) => sentenceSpans[i]).filter((s): s is [number, number] => s !== undefined));
  }
  return spans;
}

/** True when a citation and a rationale sentence overlap by at least half of the shorter one. */
export function overlapsEnough(start: number, end: number, span: [number, number]): boolean {
  const overlap = Math.min(end, span[1]) - Math.max(start, span[0]);
  return overlap > 0 && overlap >= 0.5 * Math.min(end - start, span[1] - span[0]);
}

/** SciFact citation figures for one setting. */
export interface SciFactRow {
  minCoverage: number;
  rankWeight: number;
  titleCredit: number;
  maxSentences: number;
  minMatchedTerms: number;
  sc_n: number;
  sc_grounded_rate: number;
  rationale_hit: number;
  citation_precision: number;
  doc_hit: number;
  first_citation_doc_hit: number;
  /** Answered and citing a rationale sentence, over all SUPPORT/CONTRADICT claims. */
  rationale_hit_end_to_end: number;
  nei_n: number;
  nei_grounded_rate: number;
}

/** Asks every claim at one setting and scores its citations against the gold rationales. */
export async function scifactRun(env: Env, claims: QueryRow[], setting: Setting): Promise<SciFactRow> {
  let scN = 0;
  let scGrounded = 0;
  let rationaleHit = 0;
  let citations = 0;
  let citationsHit = 0;
  let docHit = 0;
  let firstDocHit = 0;
  let neiN = 0;
  let neiGrounded = 0;
  for (const q of claims) {
    const out = await ask(env, setting, q.query);
    if (q.answer?.verdict === 'NOT_ENOUGH_INFO') {
      neiN++;
      if (out.grounded) neiGrounded++;
      continue;
    }
    scN++;
    if (!out.grounded) continue;
    scGrounded++;
    const spans = rationaleSpans(q, env.index.recordById);
    const hits = out.citations.map((c) => (spans.get(c.id) ?? []).some((span) => overlapsEnough(c.start, c.end, span)));
    citations += hits.length;
    citationsHit += hits.filter(Boolean).length;
    if (hits.some(Boolean)) rationaleHit++;
    if (out.citationIds.some((id) => spans.has(id))) docHit++;
    if (spans.has(out.citationIds[0]!)) firstDocHit++;
  }
  return {
    ...setting,
    sc_n: scN,
    sc_grounded_rate: ratio(scGrounded, scN),
    rationale_hit: ratio(rationaleHit, scGrounded),
    citation_precision: ratio(citationsHit, citations),
    doc_hit: ratio(docHit, scGrounded),
    first_citation_doc_hit: ratio(firstDocHit, scGrounded),
    rationale_hit_end_to_end: ratio(rationaleHit, scN),
    nei_n: neiN,
    nei_grounded_rate: ratio(neiGrounded, neiN),
  };
}

/**
 * How reliable the rationale mapping is: the SciFact sentence spans must lie inside the abstract as read by the
 * product, and we count how many coincide exactly with one of the product's own sentences.
 */
export function checkRationaleMapping(records: AbstractRecord[]): { docs: number; spans: number; outOfRange: number; exactSentenceMatch: number } {
  let spans = 0;
  let outOfRange = 0;
  let exact = 0;
  for (const record of records) {
    const list = (record.meta?.sentence_spans ?? []) as Array<[number, number]>;
    const ours = new Set(splitSentences(record.abstract).map((s) => `${s.start}:${s.end}`));
    for (const [start, end] of list) {
      spans++;
      if (start < 0 || end > record.abstract.length || start >= end) outOfRange++;
      else if (ours.has(`${start}:${end}`)) exact++;
    }
  }
  return { docs: records.length, spans, outOfRange, exactSentenceMatch: ratio(exact, spans) };
}

/** Prints SciFact rows as a table. */
export function printSciFact(rows: SciFactRow[]): void {
  log(' minCov rankW titleC maxS terms | S/C grounded rationale-hit cit.prec doc-hit [1]doc | end-to-end | NEI grounded');
  for (const r of rows) {
    log(
      `  ${r.minCoverage.toFixed(2)}  ${r.rankWeight.toFixed(1)}   ${r.titleCredit.toFixed(1)}    ${r.maxSentences}    ${r.minMatchedTerms}   |  ${pct(r.sc_grounded_rate)}     ${pct(r.rationale_hit)}    ` +
        `${pct(r.citation_precision)}  ${pct(r.doc_hit)} ${pct(r.first_citation_doc_hit)} |   ${pct(r.rationale_hit_end_to_end)}    |   ${pct(r.nei_grounded_rate)}`,
    );
  }
}
