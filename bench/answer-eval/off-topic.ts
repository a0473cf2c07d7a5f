/** Shipped-corpus sanity: off-topic questions must be refused, on-topic ones answered (see DEFINITIONS.offTopic). */
import type { Env } from './cached-index.js';
import { log } from './format.js';
import { ask, bestCoverage } from './lexical-ask.js';
import { CROSS_LINGUAL, OFF_TOPIC, ON_TOPIC } from './sanity-questions.js';
import type { Setting } from './settings.js';

/** The off-topic questions answered and the on-topic questions refused by `isGrounded`, asked in list order. */
export async function offAndOnTopic(isGrounded: (question: string) => Promise<boolean>): Promise<{ answeredOff: string[]; refusedOn: string[] }> {
  const answeredOff: string[] = [];
  for (const q of OFF_TOPIC) if (await isGrounded(q)) answeredOff.push(q);
  const refusedOn: string[] = [];
  for (const q of ON_TOPIC) if (!(await isGrounded(q))) refusedOn.push(q);
  return { answeredOff, refusedOn };
}

/** Sanity figures of one lexical setting. */
export interface SanityResult {
  setting: Setting;
  off_topic_refused: number;
  off_topic_n: number;
  off_topic_answered: string[];
  on_topic_grounded: number;
  on_topic_n: number;
  on_topic_refused: string[];
  cross_lingual_grounded: number;
  cross_lingual_n: number;
}

/** Asks every sanity question on the shipped corpus at one setting. */
export async function sanity(env: Env, setting: Setting): Promise<SanityResult> {
  const grounded = async (q: string) => (await ask(env, setting, q)).grounded;
  const { answeredOff, refusedOn } = await offAndOnTopic(grounded);
  let cross = 0;
  for (const q of CROSS_LINGUAL) if (await grounded(q)) cross++;
  return {
    setting,
    off_topic_refused: OFF_TOPIC.length - answeredOff.length,
    off_topic_n: OFF_TOPIC.length,
    off_topic_answered: answeredOff,
    on_topic_grounded: ON_TOPIC.length - refusedOn.length,
    on_topic_n: ON_TOPIC.length,
    on_topic_refused: refusedOn,
    cross_lingual_grounded: cross,
    cross_lingual_n: CROSS_LINGUAL.length,
  };
}

/** Best coverage of every sanity question: how far the off-topic ones sit below the threshold. */
export async function sanityMargins(env: Env, setting: Setting): Promise<Record<string, Array<{ question: string; coverage: number }>>> {
  const margins: Record<string, Array<{ question: string; coverage: number }>> = {};
  for (const [group, questions] of Object.entries({ off_topic: OFF_TOPIC, on_topic: ON_TOPIC, cross_lingual: CROSS_LINGUAL })) {
    margins[group] = [];
    for (const question of questions) margins[group].push({ question, coverage: await bestCoverage(env, setting, question) });
  }
  return margins;
}

/** Prints a sanity result: the counts, then every off-topic question answered and on-topic question refused. */
export function printSanity(s: SanityResult): void {
  log(
    `  off-topic refused ${s.off_topic_refused}/${s.off_topic_n}, on-topic grounded ${s.on_topic_grounded}/${s.on_topic_n}, ` +
      `cross-lingual (zh question, en-only source) grounded ${s.cross_lingual_grounded}/${s.cross_lingual_n}`,
  );
  for (const q of s.off_topic_answered) log(`    ANSWERED off-topic: ${q}`);
  for (const q of s.on_topic_refused) log(`    refused on-topic: ${q}`);
}
