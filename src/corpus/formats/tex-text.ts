/**
 * TeX text in BibTeX values: the escapes the BibTeX writer uses, and a decoder for what reference managers write
 * (escaped specials, protective braces, accent commands such as `{\"o}` or `\'e`).
 */

/** TeX-special characters and their escapes; {@link decodeTex} undoes exactly these (and more). */
export const TEX_ESCAPES: ReadonlyArray<[string, string]> = [
  ['\\', '\\textbackslash{}'],
  ['{', '\\{'],
  ['}', '\\}'],
  ['%', '\\%'],
  ['&', '\\&'],
  ['$', '\\$'],
  ['#', '\\#'],
  ['_', '\\_'],
  ['~', '\\textasciitilde{}'],
  ['^', '\\textasciicircum{}'],
];

/**
 * Escapes the TeX-special characters; everything else (Chinese, accented letters) stays Unicode.
 * @example escapeTex('50% of CD8+ T_reg') // '50\\% of CD8+ T\\_reg'
 */
export function escapeTex(value: string): string {
  let out = '';
  for (const char of value) out += ESCAPE_OF.get(char) ?? char;
  return out;
}

const ESCAPE_OF = new Map(TEX_ESCAPES);
const NAMED: Record<string, string> = {
  textbackslash: '\\', textasciitilde: '~', textasciicircum: '^', ss: 'ß', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å',
  ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', l: 'ł', L: 'Ł', i: 'ı', textendash: '–', textemdash: '—',
};
const ACCENTS: Record<string, string> = {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  c: '\u0327', u: '\u0306', v: '\u030C', H: '\u030B', k: '\u0328',
};
const TOKEN = new RegExp(
  [
    String.raw`\\([cuvHk])\s*\{\s*([A-Za-z])\s*\}`, // \c{c}
    String.raw`\\([cuvHk])\s+([A-Za-z])`, // \c c
    String.raw`\\(['"\x60^~=.])\s*(?:\{\s*(?:\\i|([A-Za-z]))\s*\}|\\i(?![A-Za-z])|([A-Za-z]))`, // \'e, \'{e}, \'{\i}, \'\i
    String.raw`\\([A-Za-z]+)(?:\{\}|\s?)`, // \ss, \textbackslash{}
    String.raw`\\([{}%&$#_ ])`, // \{ \% …
    String.raw`[{}]`, // protective braces
    String.raw`[ \t]*\r?\n[ \t]*`, // wrapped lines lose their indentation
  ].join('|'),
  'g',
);

/**
 * TeX → plain Unicode text.
 * @example decodeTex('{\\"O}sterreich \\& {DNA}') // 'Österreich & DNA'
 */
export function decodeTex(tex: string): string {
  const out = tex.replace(TOKEN, (match, c1, l1, c2, l2, c3, l3a, l3b, name, special) => {
    const accent = c1 ?? c2 ?? c3;
    if (accent) {
      // No letter captured means `\i` (dotless i), which takes the accent as a plain i does.
      const letter = l1 ?? l2 ?? l3a ?? l3b ?? 'i';
      return `${letter}${ACCENTS[accent as string] ?? ''}`.normalize('NFC');
    }
    // An unknown command (\emph, \textit) is dropped and its argument kept.
    if (name) return NAMED[name as string] ?? '';
    if (special) return special as string;
    if (match === '{' || match === '}') return '';
    return '\n';
  });
  return out.trim();
}
