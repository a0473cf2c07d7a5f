/** `npm run ask -- "question"`: answers one question from the command line, with numbered sources. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openClusterServices } from '../app/cluster-services.js';
import { openServices } from '../app/services.js';
import { runCli } from './run-cli.js';

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { k: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const question = positionals.join(' ').trim();
  if (!question) throw new Error('usage: npm run ask -- "your question" [--k 5] [--json]');
  const k = values.k === undefined ? undefined : Number(values.k);
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > 20)) throw new Error('--k must be an integer from 1 to 20');

  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const services = config.searchBackend === 'opensearch' ? await openClusterServices(config, logger) : await openServices(config, logger);
  const response = await services.engine.ask({ question, k }).finally(() => services.close?.());
  if (values.json) {
    process.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
    return;
  }
  const lines = [response.answer, ''];
  if (response.citations.length > 0) lines.push(response.grounded ? 'Sources:' : 'Closest sources:');
  for (const c of response.citations) {
    const where = [c.journal, c.year].filter(Boolean).join(' ');
    const ids = [c.doi && `doi:${c.doi}`, c.pmid && `PMID ${c.pmid}`].filter(Boolean).join(', ');
    lines.push(`[${c.n}] ${c.title}${where ? ` (${where})` : ''}${ids ? ` ${ids}` : ''}`);
    lines.push(`    "${c.quote}"`);
  }
  lines.push('', `(${response.retrieval.mode} retrieval, ${response.retrieval.took_ms} ms)`);
  process.stdout.write(`${lines.join('\n')}\n`);
});
