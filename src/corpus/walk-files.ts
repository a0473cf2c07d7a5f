import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files inside a corpus folder that describe the corpus rather than belong to it. Matched on the name's
 * start, case-insensitively: README*, LICENSE* and LICENCE*, SOURCE* and SOURCES*, CHANGELOG*,
 * NOTICE*, COPYING*.
 */
const NOT_CORPUS_FILE = /^(?:readme|licen[cs]e|sources?|changelog|notice|copying)(?:[._\-\s]|$)/i;

/** True for names that a folder walk skips: hidden files/folders and corpus documentation files. */
export function isIgnoredName(name: string, isDirectory: boolean): boolean {
  if (name.startsWith('.')) return true;
  return !isDirectory && NOT_CORPUS_FILE.test(name);
}

/**
 * Expands files and folders into a de-duplicated list of absolute file paths. Folders are walked
 * recursively, skipping hidden entries and README/LICENSE/SOURCES files; a file named explicitly is always
 * kept. Paths that do not exist are returned in `missing` so the caller can report them.
 */
export async function listCorpusFiles(paths: string[]): Promise<{ files: string[]; missing: string[] }> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(given);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      missing.push(given);
      continue;
    }
    if (info.isDirectory()) await walk(absolute, files);
    else files.add(absolute);
  }
  return { files: [...files], missing };
}

async function walk(folder: string, into: Set<string>): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    const isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    // Linked files are followed; linked folders are not, so a link cycle cannot hang the walk.
    if (entry.isSymbolicLink()) isFile = (await stat(full).catch(() => undefined))?.isFile() ?? false;
    if (isIgnoredName(entry.name, isDirectory)) continue;
    if (isDirectory) await walk(full, into);
    else if (isFile) into.add(full);
  }
}
