/**
 * Byte → text decoding for corpus files. Handles UTF-8 with or without BOM, UTF-16 LE/BE with BOM (and
 * BOM-less UTF-16 recognised by its NUL bytes), and falls back to GB18030 — a superset of GBK/GB2312 that
 * Chinese databases (CNKI, Wanfang) still export — when the bytes are not valid UTF-8.
 */

/** Name of the encoding a buffer was decoded with, as reported in the ingest summary. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** Picks the encoding of a file from its first bytes (and, without a BOM, whether the sample is valid UTF-8). */
export function sniffEncoding(bytes: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  const bom = sniffBom(bytes);
  if (bom) return bom;
  const utf16 = sniffBomlessUtf16(bytes);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  return { encoding: isValidUtf8(bytes) ? 'utf-8' : 'gb18030', bomLength: 0 };
}

/** Decodes a whole file's bytes, reporting which encoding was used. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const { encoding, bomLength } = sniffBom(bytes) ?? { encoding: sniffBomlessUtf16(bytes), bomLength: 0 };
  const body = bytes.subarray(bomLength);
  if (encoding) return { text: new TextDecoder(encoding).decode(body), encoding };
  // One strict UTF-8 pass doubles as the validity check, so valid files are decoded only once.
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(body), encoding: 'gb18030' };
  }
}

function sniffBom(bytes: Uint8Array): { encoding: TextEncodingName; bomLength: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return undefined;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  // A truncated sample may end mid-character, so the last 3 bytes are allowed to be incomplete.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function sniffBomlessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  const pairs = n / 2;
  if (oddNuls / pairs > 0.4 && evenNuls / pairs < 0.05) return 'utf-16le';
  if (evenNuls / pairs > 0.4 && oddNuls / pairs < 0.05) return 'utf-16be';
  return undefined;
}
