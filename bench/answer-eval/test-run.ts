/** `--split test`: the settings chosen on dev, once each, and the threshold curve of the recommendation for context. */
import { existsSync } from 'node:fs';
import { evaluateNamed } from './evaluate-named.js';
import { groundingSweep, printGrounding } from './grounding.js';
import type { LexicalContext } from './lexical-context.js';
import { devReportPath, readDevSelection } from './results.js';
import { addFlagsSetting, DEFAULTS, THRESHOLDS, type Setting } from './settings.js';

/** Runs the test evaluation into `target`; returns the named settings it evaluated. */
export async function testRun(ctx: LexicalContext, target: Record<string, unknown>): Promise<Record<string, Setting>> {
  const named: Record<string, Setting> = { defaults: DEFAULTS, ...readDevSelection() };
  addFlagsSetting(named, ctx.overrides);
  const summary = await evaluateNamed(ctx, named);
  const curveSetting = named.flags ?? named.recommended ?? DEFAULTS;
  const curve = await groundingSweep(ctx.answerable, ctx.unanswerable, ctx.pubmedQuestions, curveSetting, THRESHOLDS);
  printGrounding(`Threshold curve on test of ${JSON.stringify(curveSetting)} (context only — nothing is chosen on test)`, curve);
  Object.assign(target, {
    setting_source: existsSync(devReportPath()) ? 'dev report' : 'engine defaults',
    named,
    results: summary,
    threshold_curve_context_only: { setting: curveSetting, sweep: curve },
  });
  return named;
}
