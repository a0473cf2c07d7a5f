import { createHash } from 'node:crypto';
import { foldText } from '../text/fold.js';
import type { AbstractRecord } from './record.js';

/** Why two records were judged the same article. */
export type DuplicateReason = 'doi' | 'pmid' | 'title+year' | 'title+abstract';

/** One dropped duplicate: the ids of the record kept and the record dropped, and the files they came from. */
export interface DuplicateNote {
  kept: string;
  dropped: string;
  reason: DuplicateReason;
  /** sourceFile of the kept record (ids alone are ambiguous when both copies had the same PMID-based id). */
  keptFile: string;
  droppedFile: string;
}

/**
 * Finds the same article read twice (across files or within one): same DOI, else same PMID, else same
 * normalised title and same year, else same normalised title and abstract. A weaker key never overrides a
 * stronger one that disagrees — two records with different DOIs are different articles even when their titles
 * match (errata, corrigenda). Title+year needs both years present and a title of some length, because dataset
 * files often have no titles at all. Title+abstract is what catches dataset copies with no DOI, PMID or year
 * (the demo corpus is SciFact abstracts); it needs an abstract of some length, so two stub records ("No abstract
 * available.") stay apart.
 * The richer record is kept (more filled fields, then longer abstract, then the earlier one).
 * Returns the indexes to keep, in input order, and the duplicates dropped.
 */
export function dedupeRecords(records: readonly AbstractRecord[]): { keep: number[]; duplicates: DuplicateNote[] } {
  const byDoi = new Map<string, number>();
  const byPmid = new Map<string, number>();
  const byTitle = new Map<string, number>();
  const byText = new Map<string, number>();
  const dropped = new Set<number>();
  const duplicates: DuplicateNote[] = [];
  // The kept index of a group changes when a richer member arrives; `winnerOf` follows those moves.
  const winnerOf = new Map<number, number>();
  const resolve = (i: number): number => {
    let j = i;
    while (winnerOf.has(j)) j = winnerOf.get(j) as number;
    return j;
  };

  records.forEach((record, index) => {
    const keys = keysOf(record);
    const match = findMatch(records, keys, { byDoi, byPmid, byTitle, byText }, resolve);
    if (match) {
      const [other, reason] = match;
      const [winner, loser] = richness(record) > richness(records[other] as AbstractRecord) ? [index, other] : [other, index];
      dropped.add(loser);
      winnerOf.set(loser, winner);
      const [kept, gone] = [records[winner] as AbstractRecord, records[loser] as AbstractRecord];
      duplicates.push({ kept: kept.id, dropped: gone.id, reason, keptFile: kept.sourceFile, droppedFile: gone.sourceFile });
    }
    const owner = resolve(index);
    if (keys.doi && !byDoi.has(keys.doi)) byDoi.set(keys.doi, owner);
    if (keys.pmid && !byPmid.has(keys.pmid)) byPmid.set(keys.pmid, owner);
    if (keys.title && !byTitle.has(keys.title)) byTitle.set(keys.title, owner);
    if (keys.text && !byText.has(keys.text)) byText.set(keys.text, owner);
  });
  const keep: number[] = [];
  for (let i = 0; i < records.length; i++) if (!dropped.has(i)) keep.push(i);
  return { keep, duplicates };
}

interface DedupeKeys { doi?: string; pmid?: string; title?: string; text?: string }

interface KeyMaps { byDoi: Map<string, number>; byPmid: Map<string, number>; byTitle: Map<string, number>; byText: Map<string, number> }

/** Shortest normalised abstract the title+abstract key trusts: below it, boilerplate and stubs look alike. */
const MIN_ABSTRACT_CHARS = 40;

function keysOf(record: AbstractRecord): DedupeKeys {
  const keys: DedupeKeys = {};
  if (record.doi) keys.doi = record.doi.toLowerCase();
  if (record.pmid) keys.pmid = record.pmid;
  const title = foldText(record.title);
  if (record.year !== undefined && title.length >= 12) keys.title = `${title}|${record.year}`;
  const abstract = foldText(record.abstract);
  // Hashed: the key of a 5,000-record corpus would otherwise hold every abstract a second time.
  if (abstract.length >= MIN_ABSTRACT_CHARS) keys.text = createHash('sha1').update(`${title}|${abstract}`).digest('base64');
  return keys;
}


function findMatch(
  records: readonly AbstractRecord[], keys: DedupeKeys, maps: KeyMaps, resolve: (i: number) => number,
): [number, DuplicateReason] | undefined {
  const { byDoi, byPmid, byTitle, byText } = maps;
  if (keys.doi && byDoi.has(keys.doi)) return [resolve(byDoi.get(keys.doi) as number), 'doi'];
  const compatible = (i: number, checkPmid: boolean): boolean => {
    const other = records[i] as AbstractRecord;
    if (keys.doi && other.doi && other.doi.toLowerCase() !== keys.doi) return false;
    return !(checkPmid && keys.pmid && other.pmid && other.pmid !== keys.pmid);
  };
  if (keys.pmid && byPmid.has(keys.pmid)) {
    const i = resolve(byPmid.get(keys.pmid) as number);
    if (compatible(i, false)) return [i, 'pmid'];
  }
  if (keys.title && byTitle.has(keys.title)) {
    const i = resolve(byTitle.get(keys.title) as number);
    if (compatible(i, true)) return [i, 'title+year'];
  }
  if (keys.text && byText.has(keys.text)) {
    const i = resolve(byText.get(keys.text) as number);
    if (compatible(i, true)) return [i, 'title+abstract'];
  }
  return undefined;
}

/** How much a record tells us: each filled field counts one, longer abstracts break ties. */
function richness(record: AbstractRecord): number {
  let score = 0;
  for (const value of [record.title, record.originalTitle, record.journal, record.volume, record.issue, record.pages, record.doi, record.pmid]) {
    if (value) score++;
  }
  if (record.year !== undefined) score++;
  for (const list of [record.authors, record.affiliations, record.keywords]) if (list.length) score++;
  return score + Math.min(record.abstract.length, 100_000) / 1_000_000;
}
