/**
 * `POST /ask/stream`: the `/ask` answer as Server-Sent Events, so the page can show sources and text as they
 * arrive. Event order is a contract the page relies on:
 *
 * 1. `sources` — which records the answer cites (and whether it is grounded, its language, what was searched);
 * 2. `answer` — the answer text, in pieces that concatenate to the full answer; a `[n]` marker is never cut;
 * 3. `citations` — the exact quoted spans, as `/ask` returns them;
 * 4. `done` — timings.
 *
 * A failure after the stream has started is an `error` event with the usual `{error: {code, message}}` body;
 * before it starts (bad JSON, invalid body, too large) the reply is the same 4xx JSON as `/ask`.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { AnswerEngine, AskResponse } from '../answer/answer-engine.js';
import type { Citation } from '../answer/citations.js';
import type { AbstractRecord } from '../corpus/record.js';
import type { Logger } from '../logger.js';
import { splitAnswer } from './answer-chunks.js';
import { readAskBody, toAskRequest } from './ask-body.js';
import { ApiError, errorBody } from './errors.js';
import type { Lifecycle } from './lifecycle.js';
import type { AnswerSlots } from './middleware/answer-slots.js';
import { timeoutError } from './middleware/request-timeout.js';
import type { Collection } from './collection.js';
import type { RecordHeading } from './record-list.js';

/** Event names of `POST /ask/stream`, in the order they are sent (`error` replaces the rest on failure). */
export type AskStreamEvent = 'sources' | 'answer' | 'citations' | 'done' | 'error';

/** One cited record as the `sources` event lists it: enough to show a source line before the text arrives. */
export interface SourceSummary extends RecordHeading {
  doi?: string;
  pmid?: string;
  /** Citation markers `[n]` of the answer that point into this record. */
  markers: number[];
}

/** Data of the `sources` event. */
export interface SourcesEventData {
  language: AskResponse['language'];
  grounded: boolean;
  /** Present when a follow-up was resolved into a different question (see {@link AskResponse}). */
  searched_question?: string;
  /** Dictionary translations of the question's words searched in the other language (see {@link AskResponse}). */
  translated_terms?: string[];
  retrieval: AskResponse['retrieval'];
  answer_mode: AskResponse['answer_mode'];
  sources: SourceSummary[];
}

/** What the stream route needs from the app. */
export interface AskStreamDeps {
  /**
   * The engine and the collection it answers from (full records, for titles in the original language and authors),
   * read once per request so a swapped-in index never mixes with the old one.
   */
  current: () => { engine: AnswerEngine; collection: Collection };
  logger: Logger;
  limitBody: MiddlewareHandler;
  /** Answer slots shared with `/ask`; the stream holds one until its last event. */
  slots: AnswerSlots;
  /** Keeps the stream counted as in flight until it ends; its deadline ends it with `shutting_down`. */
  lifecycle: Lifecycle;
  /** Deadline for the answer once the stream is open (0 = none); before that, the timeout middleware applies. */
  timeoutMs: number;
  /** Pause between answer pieces in ms; see {@link DEFAULT_PACE_MS}. */
  paceMs?: number;
}

/**
 * Pause between answer pieces. An extractive answer exists whole in a few milliseconds; sent back to back its
 * pieces reach the browser in one read and appear at once. A short pause lets the page show the text arriving
 * (about 1,500 characters a second, faster than anyone reads) without delaying the first words at all.
 */
export const DEFAULT_PACE_MS = 20;

/** Most time pacing may add to a whole reply: long answers get shorter pauses instead of a longer wait. */
export const MAX_PACING_MS = 200;

/** Registers `POST /ask/stream` on an app. */
export function registerAskStream(app: Hono, deps: AskStreamDeps): void {
  const { logger, limitBody } = deps;
  const pace = deps.paceMs ?? DEFAULT_PACE_MS;
  app.post('/ask/stream', limitBody, async (c) => {
    // Validation and the wait for a slot happen before the stream opens, so a refusal is an ordinary JSON reply.
    const request = toAskRequest(await readAskBody(c.req.raw));
    const started = performance.now();
    const release = await deps.slots.acquire();
    let finish!: () => void;
    void deps.lifecycle.track(new Promise<void>((resolve) => (finish = resolve)));
    const { engine, collection } = deps.current();
    return streamSSE(c, async (stream) => {
      const stopped = stopSignals(deps);
      try {
        const response = await Promise.race([engine.ask(request), stopped.promise]);
        if (stream.aborted) return;
        const cited = await collection.records([...new Set(response.citations.map((c) => c.id))]);
        if (stream.aborted) return;
        await send(stream, 'sources', sourcesEvent(response, new Map(cited.map((record) => [record.id, record]))));
        const pieces = splitAnswer(response.answer);
        const gap = pieces.length > 1 ? Math.min(pace, MAX_PACING_MS / (pieces.length - 1)) : 0;
        for (const [i, text] of pieces.entries()) {
          if (i > 0 && gap > 0) await stream.sleep(gap);
          if (stream.aborted) return;
          await send(stream, 'answer', { text });
        }
        await send(stream, 'citations', { citations: response.citations });
        await send(stream, 'done', { took_ms: Math.round((performance.now() - started) * 10) / 10 });
      } catch (error) {
        // Hono's own handler would send the raw message; this keeps the `{error}` shape and logs the stack.
        const { status, body } = errorBody(error);
        if (status >= 500) logger.error(`POST /ask/stream: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!stream.aborted) await send(stream, 'error', body);
      } finally {
        stopped.dispose();
        release();
        finish();
      }
    });
  });
}

// Rejects when the answer outlives its deadline or the shutdown deadline passes, so the stream ends with a final
// `error` event instead of hanging or being cut mid-message.
function stopSignals(deps: AskStreamDeps): { promise: Promise<never>; dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  let onShutdown: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    if (deps.timeoutMs > 0) timer = setTimeout(() => reject(timeoutError(deps.timeoutMs)), deps.timeoutMs);
    onShutdown = () => reject(new ApiError(503, 'shutting_down', 'The server shut down before this answer was ready; ask again.'));
    if (deps.lifecycle.deadline.aborted) onShutdown();
    else deps.lifecycle.deadline.addEventListener('abort', onShutdown, { once: true });
  });
  promise.catch(() => {}); // settled by the race or nobody; never an unhandled rejection
  return {
    promise,
    dispose() {
      clearTimeout(timer);
      if (onShutdown) deps.lifecycle.deadline.removeEventListener('abort', onShutdown);
    },
  };
}

/** Builds the `sources` event from an answer: each cited record once, in marker order. */
export function sourcesEvent(response: AskResponse, records?: ReadonlyMap<string, AbstractRecord>): SourcesEventData {
  const byId = new Map<string, SourceSummary>();
  for (const citation of response.citations) {
    const known = byId.get(citation.id);
    if (known) known.markers.push(citation.n);
    else byId.set(citation.id, summarize(citation, records));
  }
  return {
    language: response.language,
    grounded: response.grounded,
    ...(response.searched_question !== undefined && { searched_question: response.searched_question }),
    ...(response.translated_terms && { translated_terms: response.translated_terms }),
    retrieval: response.retrieval,
    answer_mode: response.answer_mode,
    sources: [...byId.values()],
  };
}

function summarize(citation: Citation, records?: ReadonlyMap<string, AbstractRecord>): SourceSummary {
  const record = records?.get(citation.id);
  return {
    id: citation.id,
    title: citation.title,
    ...(record?.originalTitle && { original_title: record.originalTitle }),
    authors: record?.authors ?? [],
    ...(citation.journal && { journal: citation.journal }),
    ...(citation.year !== undefined && { year: citation.year }),
    ...(citation.doi && { doi: citation.doi }),
    ...(citation.pmid && { pmid: citation.pmid }),
    markers: [citation.n],
  };
}

function send(stream: SSEStreamingApi, event: AskStreamEvent, data: unknown): Promise<void> {
  return stream.writeSSE({ event, data: JSON.stringify(data) });
}
