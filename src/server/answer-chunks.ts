/**
 * Cuts an answer into the pieces `POST /ask/stream` sends, so the page renders it progressively. Extractive
 * answers exist whole before the first byte is sent; a generating model would hand its tokens over instead.
 */

/** Options of {@link splitAnswer}. */
export interface SplitAnswerOptions {
  /** Characters a piece aims for; it ends at the next word boundary after this. @default 32 */
  target?: number;
}

// A citation marker, a run of whitespace, or a run of anything else that is not a marker's opening bracket.
const PIECE = /\[\d+\]|\s+|[^\s[]+|\[/gu;
const HAN = /\p{Script=Han}/u;

/**
 * Splits text into pieces of about `target` characters that concatenate back to it exactly. A citation marker
 * `[n]` is never cut, so a client can link markers in whatever has arrived; long runs with no spaces (Chinese)
 * are cut between characters.
 */
export function splitAnswer(text: string, options: SplitAnswerOptions = {}): string[] {
  const target = Math.max(1, options.target ?? 32);
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current) pieces.push(current);
    current = '';
  };
  for (const [token] of text.matchAll(PIECE)) {
    if (token.length > target && !token.startsWith('[') && HAN.test(token)) {
      // Code points, not UTF-16 units: a surrogate pair must stay whole.
      for (const char of token) {
        current += char;
        if (current.length >= target) flush();
      }
      continue;
    }
    current += token;
    if (current.length >= target && !/^\s+$/u.test(token)) flush();
  }
  flush();
  return pieces;
}
