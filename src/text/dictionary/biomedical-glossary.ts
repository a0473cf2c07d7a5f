import { readFileSync } from 'node:fs';

/**
 * Biomedical terms CC-CEDICT lacks or glosses only in their everyday sense, as `[simplified, English, …]` (first
 * English form preferred). Written by hand from general immunology, oncology and clinical-trial vocabulary and from
 * words the WMT and CSL *dev* splits showed untranslated; never from a test split. Looked up before CC-CEDICT.
 * The rows live in `biomedical-glossary.json` beside this file: they are data, edited as data.
 */
export const BIOMEDICAL_GLOSSARY: ReadonlyArray<readonly [string, ...string[]]> = JSON.parse(
  readFileSync(new URL('./biomedical-glossary.json', import.meta.url), 'utf8'),
) as Array<[string, ...string[]]>;
