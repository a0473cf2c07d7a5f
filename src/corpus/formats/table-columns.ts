/**
 * Header names seen in spreadsheet exports, mapped to record fields. Headers are compared after lower-casing
 * and removing everything but letters and digits, so "Article Title", "article_title" and "ArticleTitle"
 * all match (foldText, the same folding de-duplication compares titles in). Sources: Zotero CSV, PubMed CSV, Web of
 * Science, Scopus, EndNote, CNKI Excel exports.
 */
import { foldText } from '../../text/fold.js';

/** Fields a table column can feed. */
export type TableField =
  | 'id' | 'title' | 'originalTitle' | 'abstract' | 'authors' | 'affiliations' | 'keywords' | 'journal' | 'year'
  | 'volume' | 'issue' | 'pages' | 'startPage' | 'endPage' | 'doi' | 'pmid' | 'language';

const ALIASES: Record<TableField, string[]> = {
  id: ['id', 'key', 'recordid', 'docid', 'uid', 'ut', 'utuniquewosid', 'eid'],
  title: ['title', 'articletitle', 'documenttitle', 'ti', 'titleen', 'englishtitle', '题名', '篇名', '标题', '英文篇名', '英文标题'],
  originalTitle: ['originaltitle', 'vernaculartitle', 'translatedtitle', 'titlezh', 'chinesetitle', '中文篇名', '中文标题'],
  abstract: ['abstract', 'abstractnote', 'ab', 'summary', 'abstracttext', 'abstracten', '摘要', '英文摘要', '中文摘要'],
  authors: ['authors', 'author', 'au', 'authorfullnames', 'af', 'authorsfullnames', 'authornames', 'creators', '作者'],
  affiliations: ['affiliations', 'affiliation', 'addresses', 'c1', 'authorswithaffiliations', 'authoraddress', '单位', '机构', '作者单位'],
  keywords: ['keywords', 'keyword', 'authorkeywords', 'de', 'manualtags', 'indexkeywords', 'meshterms', 'kw', '关键词', '关键字'],
  journal: ['journal', 'journaltitle', 'publicationtitle', 'sourcetitle', 'so', 'journalbook', 'source', 'periodical', 'secondarytitle', '文献来源', '来源', '期刊', '刊名'],
  year: ['year', 'publicationyear', 'py', 'pubyear', 'date', 'publicationdate', 'pubdate', '年', '年份', '发表时间', '出版年'],
  volume: ['volume', 'vl', 'vol', '卷'],
  issue: ['issue', 'is', 'number', 'no', '期'],
  pages: ['pages', 'page', 'pagination', 'pg', '页码'],
  startPage: ['startpage', 'pagestart', 'bp', 'beginningpage'],
  endPage: ['endpage', 'pageend', 'ep', 'endingpage'],
  doi: ['doi', 'di'],
  pmid: ['pmid', 'pubmedid', 'pm'],
  language: ['language', 'la', 'lang', 'languageoforiginaldocument', '语种', '语言'],
};

const BY_ALIAS = new Map<string, TableField>();
for (const [field, aliases] of Object.entries(ALIASES) as Array<[TableField, string[]]>) {
  for (const alias of aliases) BY_ALIAS.set(alias, field);
}


/**
 * Maps header cells to fields. The first column that matches a field wins, so "Title" beats a later
 * "Short Title"-like alias; unmatched columns map to undefined (their values go to `meta`).
 */
export function mapColumns(header: string[]): Array<TableField | undefined> {
  const taken = new Set<TableField>();
  return header.map((cell) => {
    const field = BY_ALIAS.get(foldText(cell));
    if (!field || taken.has(field)) return undefined;
    taken.add(field);
    return field;
  });
}
