import { createHash } from 'node:crypto';

/**
 * How record ids are formed, in order of preference (ids appear in URLs such as `/records/:id`):
 * 1. the source's own id (a JSON/CSV `id` column) kept verbatim, so dataset qrels keep matching;
 * 2. `pmid-<digits>` when the record has a PMID;
 * 3. `doi-<doi>` with the DOI lower-cased and every character outside `[a-z0-9.-]` replaced by `_`
 *    (so `10.3870/j.issn.1672-0741.23.11.008` → `doi-10.3870_j.issn.1672-0741.23.11.008`);
 * 4. `sha1-<first 12 hex of sha1(title + "\n" + abstract)>`, stable as long as the text is.
 */
export function formRecordId(parts: { sourceId?: string; pmid?: string; doi?: string; title: string; abstract: string }): string {
  if (parts.sourceId) return parts.sourceId;
  if (parts.pmid) return `pmid-${parts.pmid}`;
  if (parts.doi) return `doi-${parts.doi.toLowerCase().replace(/[^a-z0-9.-]+/g, '_')}`;
  const digest = createHash('sha1').update(`${parts.title}\n${parts.abstract}`).digest('hex');
  return `sha1-${digest.slice(0, 12)}`;
}

const DOI_PREFIX = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i;

/** Strips `https://doi.org/` and `doi:` prefixes; undefined unless the rest looks like `10.x/y`. */
export function cleanDoi(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const doi = value.trim().replace(DOI_PREFIX, '').trim();
  return /^10\.\d{3,9}\/\S+$/.test(doi) ? doi : undefined;
}

/** Keeps the digits of a PMID (`PMID: 123`, `123.0` from spreadsheets); undefined unless it is a number. */
export function cleanPmid(value: string | number | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const match = /^\s*(?:pmid:?\s*)?(\d{1,9})(?:\.0+)?\s*$/i.exec(String(value));
  return match?.[1];
}

/** First plausible four-digit year (1800–2199) in a date-ish value: `2019 Jan-Feb`, `2024/05/01`, 2024. */
export function parseYear(value: string | number | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const match = /(?:^|\D)(1[89]\d\d|2[01]\d\d)(?!\d)/.exec(String(value));
  return match ? Number(match[1]) : undefined;
}
