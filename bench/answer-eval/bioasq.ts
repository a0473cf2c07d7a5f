/** BioASQ: a secondary, noisy grounding check on natural expert questions (see DEFINITIONS.bioasq). */
import path from 'node:path';
import { buildEnv } from './cached-index.js';
import { readDocuments, readQueries } from './data.js';
import { groundingSweep, printGrounding } from './grounding.js';
import type { LexicalOptions } from './lexical-context.js';
import { settingKey, THRESHOLDS, type Setting } from './settings.js';

/** BioASQ grounding over the threshold grid for each named setting's variant, into `target.bioasq_grounding`. */
export async function bioasqCheck(options: LexicalOptions, target: Record<string, unknown>, named: Record<string, Setting>): Promise<void> {
  const { split, limit } = options;
  const folder = path.join(options.dataDir, 'bioasq_7b_11b');
  const docs = await readDocuments(folder);
  const questions = readQueries(folder, split).slice(0, limit);
  const gold = new Set(questions.flatMap((q) => q.gold_doc_ids));
  const full = await buildEnv('bioasq', docs);
  const held = await buildEnv(`bioasq minus ${split} gold`, docs.filter((d) => !gold.has(d.id)));
  const runs: unknown[] = [];
  const done = new Set<string>();
  for (const [name, setting] of Object.entries(named)) {
    // The threshold is swept anyway: only the rest of the setting makes a variant.
    const key = settingKey({ ...setting, minCoverage: NaN });
    if (done.has(key)) continue;
    done.add(key);
    const rows = await groundingSweep(full, held, questions, setting, THRESHOLDS);
    printGrounding(`BioASQ grounding (${split}, secondary, noisy negatives; ${questions.length} questions) — variant of ${name} ${JSON.stringify(setting)}`, rows);
    runs.push({ name, setting, sweep: rows });
  }
  target.bioasq_grounding = { questions: questions.length, documents: docs.length, removed_gold: gold.size, runs };
}
