/** Every headline figure for each named setting of a run (dev or test). */
import { wilson, log } from './format.js';
import { groundingSweep, printGrounding, type GroundingRow } from './grounding.js';
import type { LexicalContext } from './lexical-context.js';
import { printSanity, sanity, sanityMargins } from './off-topic.js';
import { printSciFact, scifactRun, type SciFactRow } from './scifact-citations.js';
import { settingKey, type Setting } from './settings.js';

/**
 * Every headline figure for each named setting: PubMedQA grounding and citations, SciFact citations, shipped-corpus
 * sanity with margins. A setting equal to an earlier one is reported as `{ same_as }`.
 */
export async function evaluateNamed(ctx: LexicalContext, named: Record<string, Setting>): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const groundingRows: GroundingRow[] = [];
  const scifactRowsNamed: SciFactRow[] = [];
  const n = ctx.pubmedQuestions.length;
  const seen = new Map<string, string>();
  for (const [name, setting] of Object.entries(named)) {
    const key = settingKey(setting);
    if (seen.has(key)) {
      results[name] = { same_as: seen.get(key) };
      log(`\n[${name}] same setting as [${seen.get(key)}]`);
      continue;
    }
    seen.set(key, name);
    const [grounding] = await groundingSweep(ctx.answerable, ctx.unanswerable, ctx.pubmedQuestions, setting, [setting.minCoverage]);
    const scifact = await scifactRun(ctx.scifact, ctx.scifactClaims, setting);
    const sanityResult = await sanity(ctx.shipped, setting);
    groundingRows.push(grounding!);
    scifactRowsNamed.push(scifact);
    const groundedCount = Math.round(grounding!.grounded_rate * n);
    results[name] = {
      setting,
      grounding,
      intervals_95: {
        grounded_rate: wilson(groundedCount, n),
        refusal_rate: wilson(Math.round(grounding!.refusal_rate * n), n),
        first_citation_precision: wilson(Math.round(grounding!.first_citation_precision * groundedCount), groundedCount),
      },
      scifact,
      sanity: sanityResult,
      sanity_margins: await sanityMargins(ctx.shipped, setting),
    };
    log(`\n[${name}] ${JSON.stringify(setting)}`);
    printSanity(sanityResult);
  }
  printGrounding(`PubMedQA grounding (${ctx.split}) for: ${[...seen.values()].join(', ')}`, groundingRows);
  log(`SciFact citations (${ctx.split}) for: ${[...seen.values()].join(', ')}`);
  printSciFact(scifactRowsNamed);
  return results;
}
