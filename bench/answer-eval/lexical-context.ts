/** Everything a lexical run works on: its data (PubMedQA, SciFact, the shipped corpus) and the indexes built from it. */
import path from 'node:path';
import type { AbstractRecord } from '../../src/corpus/record.js';
import { buildEnv, type Env } from './cached-index.js';
import { readDocuments, readQueries, readShippedCorpus, type QueryRow } from './data.js';
import { log } from './format.js';
import type { Setting } from './settings.js';

/** What the command line asks of a lexical run. */
export interface LexicalOptions {
  split: 'dev' | 'test';
  /** Folder of the benchmark data sets (`--data`). */
  dataDir: string;
  /** First n questions/claims of each set (`--limit`); Infinity = all. */
  limit: number;
  /** Setting flags given on the command line. */
  overrides: Partial<Setting>;
}

/** The data and indexes of a lexical run (see DEFINITIONS for what each index holds). */
export interface LexicalContext extends LexicalOptions {
  pubmedDocs: AbstractRecord[];
  scifactDocs: AbstractRecord[];
  pubmedQuestions: QueryRow[];
  scifactClaims: QueryRow[];
  shippedRecords: AbstractRecord[];
  /** All PubMedQA + SciFact abstracts. */
  answerable: Env;
  /** The same minus the split's PubMedQA gold abstracts. */
  unanswerable: Env;
  /** The SciFact abstracts. */
  scifact: Env;
  /** The shipped corpus. */
  shipped: Env;
}

/** Reads the data and builds the four indexes, logging as it goes. */
export async function loadLexicalContext(options: LexicalOptions): Promise<LexicalContext> {
  const { split, dataDir, limit } = options;
  log('reading data …');
  const pubmedDocs = await readDocuments(path.join(dataDir, 'pubmedqa_pqal'));
  const scifactDocs = await readDocuments(path.join(dataDir, 'scifact'));
  const pubmedQuestions = readQueries(path.join(dataDir, 'pubmedqa_pqal'), split).slice(0, limit);
  const scifactClaims = readQueries(path.join(dataDir, 'scifact'), split).slice(0, limit);
  const splitGold = new Set(pubmedQuestions.flatMap((q) => q.gold_doc_ids));
  log(`  PubMedQA: ${pubmedDocs.length} docs, ${pubmedQuestions.length} ${split} questions; SciFact: ${scifactDocs.length} docs, ${scifactClaims.length} ${split} claims`);

  log('building indexes …');
  const answerable = await buildEnv('pubmedqa+scifact', [...pubmedDocs, ...scifactDocs]);
  const unanswerable = await buildEnv(`pubmedqa+scifact minus ${split} gold`, [...pubmedDocs.filter((d) => !splitGold.has(d.id)), ...scifactDocs]);
  const scifact = await buildEnv('scifact', scifactDocs);
  const shippedRecords = await readShippedCorpus();
  const shipped = await buildEnv('shipped corpus', shippedRecords);
  return { ...options, pubmedDocs, scifactDocs, pubmedQuestions, scifactClaims, shippedRecords, answerable, unanswerable, scifact, shipped };
}
