/**
 * Parse throughput per corpus format: generates a 5,000-record file of each format in a temp folder and
 * times `readCorpus` on it (decode + sniff + parse + finish + dedupe). Run: `node --import tsx bench/parse-formats.ts`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readCorpus } from '../src/corpus/read-corpus.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 5_000);

interface Sample { i: number; title: string; abstract: string; authors: string[]; journal: string; year: number; doi: string; pmid: string; keywords: string[] }

function sample(i: number): Sample {
  return {
    i,
    title: `Generated study ${i} of CAR-T cell exhaustion in solid tumours`,
    abstract: `BACKGROUND: Record ${i} examines T-cell exhaustion. METHODS: We enrolled ${i % 90 + 10} patients and measured PD-1, TIM-3 and LAG-3 expression. `.repeat(4).trim(),
    authors: [`Smith, Jane ${i}`, `Chen, Li`, `Garcia, Maria`],
    journal: `Journal of Immunotherapy ${i % 13}`,
    year: 2000 + (i % 24),
    doi: `10.9999/bench.${i}`,
    pmid: String(20_000_000 + i),
    keywords: ['CAR-T', 'exhaustion', `topic ${i % 17}`],
  };
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;

const GENERATORS: Record<string, { file: string; header?: string; footer?: string; render: (s: Sample) => string }> = {
  'pubmed-xml': {
    file: 'bench.xml',
    header: '<?xml version="1.0" ?>\n<PubmedArticleSet>\n',
    footer: '</PubmedArticleSet>\n',
    render: (s) => `<PubmedArticle><MedlineCitation><PMID>${s.pmid}</PMID><Article><Journal><JournalIssue><Volume>${s.i % 40}</Volume><PubDate><Year>${s.year}</Year></PubDate></JournalIssue><Title>${s.journal}</Title></Journal>
<ArticleTitle>${xmlEscape(s.title)}</ArticleTitle><Abstract><AbstractText>${xmlEscape(s.abstract)}</AbstractText></Abstract>
<AuthorList>${s.authors.map((a) => { const [last, first] = a.split(', '); return `<Author><LastName>${last}</LastName><ForeName>${first}</ForeName></Author>`; }).join('')}</AuthorList><Language>eng</Language></Article>
<KeywordList>${s.keywords.map((k) => `<Keyword>${k}</Keyword>`).join('')}</KeywordList></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="doi">${s.doi}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n`,
  },
  medline: {
    file: 'bench.nbib',
    render: (s) => [`PMID- ${s.pmid}`, `DP  - ${s.year} Jan`, `TI  - ${s.title}`, `AB  - ${s.abstract.slice(0, 80)}`, `      ${s.abstract.slice(80)}`,
      ...s.authors.map((a) => `FAU - ${a}`), `JT  - ${s.journal}`, `LID - ${s.doi} [doi]`, ...s.keywords.map((k) => `OT  - ${k}`), 'LA  - eng', '', ''].join('\n'),
  },
  ris: {
    file: 'bench.ris',
    render: (s) => ['TY  - JOUR', `TI  - ${s.title}`, `AB  - ${s.abstract}`, ...s.authors.map((a) => `AU  - ${a}`), `T2  - ${s.journal}`,
      `PY  - ${s.year}`, `DO  - ${s.doi}`, ...s.keywords.map((k) => `KW  - ${k}`), 'ER  - ', '', ''].join('\n'),
  },
  refer: {
    file: 'bench.enw',
    render: (s) => ['%0 Journal Article', `%T ${s.title}`, `%X ${s.abstract}`, ...s.authors.map((a) => `%A ${a}`), `%J ${s.journal}`,
      `%D ${s.year}`, `%R ${s.doi}`, `%K ${s.keywords.join(';')}`, '', ''].join('\n'),
  },
  csv: {
    file: 'bench.csv',
    header: 'Title,Abstract Note,Author,Publication Title,Publication Year,DOI,Manual Tags\n',
    render: (s) => [s.title, s.abstract, s.authors.join('; '), s.journal, String(s.year), s.doi, s.keywords.join('; ')].map(csvCell).join(',') + '\n',
  },
  tsv: {
    file: 'bench.tsv',
    header: 'Article Title\tAbstract\tAuthor Full Names\tSource Title\tPublication Year\tDOI\tAuthor Keywords\n',
    render: (s) => [s.title, s.abstract, s.authors.join('; '), s.journal, String(s.year), s.doi, s.keywords.join('; ')].join('\t') + '\n',
  },
  json: {
    file: 'bench.json',
    render: (s) => JSON.stringify({ id: `b-${s.i}`, title: s.title, abstract: s.abstract, authors: s.authors, journal: s.journal, year: s.year, doi: s.doi, pmid: s.pmid, keywords: s.keywords }),
  },
  jsonl: {
    file: 'bench.jsonl',
    render: (s) => JSON.stringify({ id: `b-${s.i}`, title: s.title, abstract: s.abstract, authors: s.authors, journal: s.journal, year: s.year, doi: s.doi, pmid: s.pmid, lang: 'en' }) + '\n',
  },
  'wprim-text': {
    file: 'bench-wprim.txt',
    render: (s) => `${s.title}\n\t${s.doi}\n\t\t- VernacularTitle:生成的研究${s.i}\n\t\t- Author:\n${s.authors.map((a) => `\t\t\t${a}\n\t\t\t1\n\t\t\t;\n`).join('')}` +
      `\t\tAuthor Information\n\t\t\t1. 某大学附属医院,北京 100000\n\t\t- Keywords:\n\t\t\t${s.keywords.join(';\n\t\t\t')}\n\t\t- From:\n\t\t\t${s.journal}\n\t\t\t ${s.year};${s.i % 40}(2):1-9\n` +
      `\t\t- CountryChina\n\t\t- Language:Chinese\n\t\t- \n\t\tAbstract:\n\t\t${s.abstract}\n\n`,
  },
};

async function writeFormat(dir: string, format: string): Promise<string> {
  const generator = GENERATORS[format];
  if (!generator) throw new Error(`no generator for ${format}`);
  const file = path.join(dir, generator.file);
  const parts = Array.from({ length: RECORDS }, (_, i) => generator.render(sample(i)));
  const body = format === 'json' ? `[\n${parts.join(',\n')}\n]\n` : parts.join('');
  await fs.writeFile(file, `${generator.header ?? ''}${body}${generator.footer ?? ''}`);
  return file;
}

async function writePlainTextFolder(dir: string): Promise<string> {
  const folder = path.join(dir, 'plain');
  await fs.mkdir(folder);
  for (let i = 0; i < RECORDS; i++) {
    const s = sample(i);
    await fs.writeFile(path.join(folder, `note-${String(i).padStart(5, '0')}.txt`), `${s.title}\n\n${s.abstract}\n`);
  }
  return folder;
}

async function time(target: string, root: string): Promise<{ ms: number; records: number; issues: number }> {
  await readCorpus([target], { root }); // warm-up: JIT and file cache
  const started = performance.now();
  const result = await readCorpus([target], { root });
  return { ms: performance.now() - started, records: result.records.length, issues: result.issues.length };
}

async function sizeOf(target: string): Promise<number> {
  const info = await fs.stat(target);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of await fs.readdir(target)) total += (await fs.stat(path.join(target, name))).size;
  return total;
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parse-formats-'));
try {
  const rows: string[][] = [['format', 'records', 'MB', 'ms', 'records/s', 'issues']];
  const targets: Array<[string, string]> = [];
  for (const format of Object.keys(GENERATORS)) targets.push([format, await writeFormat(dir, format)]);
  targets.push([`plain-text (${RECORDS} files)`, await writePlainTextFolder(dir)]);
  for (const [format, target] of targets) {
    const { ms, records, issues } = await time(target, dir);
    const mb = (await sizeOf(target)) / 1_048_576;
    rows.push([format, String(records), mb.toFixed(1), ms.toFixed(0), Math.round((records / ms) * 1000).toLocaleString('en-US'), String(issues)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w, c) => (c === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
