/**
 * Files added from the page live in `<corpus>/uploads/`, so the index can always be rebuilt from files. Names
 * come from browsers and are untrusted: only a safe base name is kept, and every path is checked to stay inside
 * the uploads folder.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isIgnoredName } from './walk-files.js';

/** Folder of uploads, relative to the corpus folder (and the prefix of their records' `sourceFile`). */
export const UPLOADS_FOLDER = 'uploads';

/** Thrown for a name that cannot be an upload (empty once cleaned, or outside the uploads folder). */
export class UploadNameError extends Error {
  override name = 'UploadNameError';
}

/**
 * A file name safe on every file system: the base name only (no folders, so no `..`), letters, digits, `.`, `-`
 * and `_` kept (Chinese names stay readable), everything else `_`, no leading dot, at most 120 characters with the
 * extension kept.
 * @example safeFileName('../../etc/passwd') // 'passwd'
 * @example safeFileName('CNKI 导出 (2).ris') // 'CNKI_导出_2_.ris'
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '');
  const ext = path.extname(cleaned).slice(0, 12);
  const stem = cleaned.slice(0, cleaned.length - path.extname(cleaned).length).slice(0, 120 - ext.length);
  if (!stem) throw new UploadNameError(`"${name}" is not a usable file name`);
  // A corpus walk skips README*, LICENSE*, …: an upload so named would silently never be read.
  return isIgnoredName(`${stem}${ext}`, false) ? `upload-${stem}${ext}` : `${stem}${ext}`;
}

/**
 * Saves an upload under `<corpusDir>/uploads/`, never over an existing file (`name-2.ext`, `name-3.ext`, …), and
 * written to a temp name first so the corpus never holds half a file. Returns the corpus-relative path.
 */
export async function saveUpload(corpusDir: string, name: string, bytes: Uint8Array): Promise<string> {
  const folder = path.join(corpusDir, UPLOADS_FOLDER);
  await mkdir(folder, { recursive: true });
  const safe = safeFileName(name);
  const ext = path.extname(safe);
  const stem = safe.slice(0, safe.length - ext.length);
  let candidate = safe;
  for (let n = 2; existsSync(path.join(folder, candidate)); n++) candidate = `${stem}-${n}${ext}`;
  const temp = path.join(folder, `.${candidate}.part-${process.pid}`);
  await writeFile(temp, bytes, { flag: 'wx' });
  await rename(temp, path.join(folder, candidate));
  return `${UPLOADS_FOLDER}/${candidate}`;
}

/**
 * The absolute path of an uploaded file from its corpus-relative name, or an {@link UploadNameError} when the name
 * is not directly inside the uploads folder (only uploads can be removed from the page).
 */
export function uploadPath(corpusDir: string, relative: string): string {
  const folder = path.resolve(corpusDir, UPLOADS_FOLDER);
  const absolute = path.resolve(corpusDir, relative);
  if (path.dirname(absolute) !== folder || relative.split('/').some((part) => part === '..')) {
    throw new UploadNameError(`"${relative}" is not an uploaded file (only files in ${UPLOADS_FOLDER}/ can be removed)`);
  }
  return absolute;
}

/** Deletes an uploaded file; false when it was not there. */
export async function removeUpload(corpusDir: string, relative: string): Promise<boolean> {
  const absolute = uploadPath(corpusDir, relative);
  if (!existsSync(absolute)) return false;
  await rm(absolute);
  return true;
}
