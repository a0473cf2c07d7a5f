import { z } from 'zod';

/** Largest accepted request body, in bytes. */
export const MAX_BODY_BYTES = 32 * 1024;

const filtersSchema = z
  .object({
    year_from: z.number().int().min(1000).max(3000).optional(),
    year_to: z.number().int().min(1000).max(3000).optional(),
    journal: z.string().trim().min(1).max(300).optional(),
    language: z.string().trim().toLowerCase().regex(/^[a-z]{2}$/, 'must be a two-letter language code such as "en" or "zh"').optional(),
  })
  .strict()
  .refine((f) => f.year_from === undefined || f.year_to === undefined || f.year_from <= f.year_to, {
    message: 'year_from must not be after year_to',
  });

/** Earlier turns a follow-up may draw on; older ones rarely help and only cost tokens (and, later, LLM context). */
export const MAX_HISTORY_TURNS = 6;

const questionText = z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters');

// A turn is a bare question or `{question}`, so a client may send its thread as it keeps it.
const historyTurnSchema = z.union([questionText, z.object({ question: questionText }).strict()]).transform((turn) => (typeof turn === 'string' ? turn : turn.question));

/** Body of `POST /ask` and `POST /ask/stream`. */
export const askBodySchema = z
  .object({
    question: questionText,
    k: z.number().int().min(1).max(20).optional(),
    filters: filtersSchema.optional(),
    /** Earlier questions of the conversation, oldest first. */
    history: z.array(historyTurnSchema).max(MAX_HISTORY_TURNS, `must hold at most ${MAX_HISTORY_TURNS} turns`).optional(),
  })
  .strict();

/** A validated ask body. */
export type AskBody = z.infer<typeof askBodySchema>;

/** One line naming every problem of a rejected body, e.g. `question: must not be empty`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
