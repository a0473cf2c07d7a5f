import type { RecordDraft } from '../record-draft.js';
import { parseYear } from '../record-id.js';
import type { RecordSink } from '../reader-types.js';
import { childAt, childrenNamed, streamXmlElements, textAt, textOf, type XmlElement } from './xml-element-stream.js';

/**
 * Reader for PubMed XML (`PubmedArticleSet`, as efetch and PubMed's "Save → XML" write it), following the
 * PubMed DTD: MedlineCitation/Article holds title, abstract, authors, journal issue and pagination;
 * PubmedData/ArticleIdList holds the DOI and PMC ids. The file is streamed one article at a time.
 */

const ARTICLES = new Set(['PubmedArticle', 'PubmedBookArticle']);
// Reference lists can dwarf the article itself and nothing here is read from them.
const UNUSED = new Set(['ReferenceList', 'CommentsCorrectionsList', 'GrantList', 'History', 'ChemicalList', 'Sections']);
const MAX_STRAY_ERRORS = 5;
// Several efetch batches pasted into one file repeat the XML declaration and root; every article still reads fine.
const CONCATENATION_ERRORS = /only one root|XML declaration|expected one of encoding|doctype declaration|text data outside of root node/i;

/** Streams every article of a PubMed XML file into the sink; returns the encoding used. */
export async function streamPubmedXml(filePath: string, sink: RecordSink): Promise<string> {
  let strayErrors = 0;
  // Errors right after a broken article are its echo (saxes unwinding the damage), so they are not repeated.
  let echoOfBrokenArticle = false;
  return streamXmlElements(filePath, {
    collect: ARTICLES,
    ignore: UNUSED,
    isBenignError: (message) => CONCATENATION_ERRORS.test(message),
    onElement({ element, line, error }) {
      echoOfBrokenArticle = Boolean(error);
      if (error) {
        const pmid = textAt(element, 'MedlineCitation/PMID') ?? textAt(element, 'BookDocument/PMID');
        sink.skip(line, `malformed XML in article${pmid ? ` PMID ${pmid}` : ''}: ${error}`);
        return;
      }
      try {
        sink.record(draftFromPubmedArticle(element), line);
      } catch (failure) {
        sink.skip(line, `unreadable article: ${(failure as Error).message}`);
      }
    },
    onStrayError(line, message) {
      if (echoOfBrokenArticle) return;
      strayErrors++;
      if (strayErrors <= MAX_STRAY_ERRORS) sink.note(line, `malformed XML between articles: ${message}`);
    },
  });
}

/** Maps one `PubmedArticle` (or `PubmedBookArticle`) element onto a draft. */
export function draftFromPubmedArticle(element: XmlElement): RecordDraft {
  const citation = childAt(element, 'MedlineCitation') ?? childAt(element, 'BookDocument');
  const article = childAt(citation, 'Article') ?? citation;
  const journal = childAt(article, 'Journal');
  const journalIssue = childAt(journal, 'JournalIssue');
  const book = childAt(citation, 'Book');
  const ids = articleIds(element);
  const meta: Record<string, unknown> = {};

  const otherAbstracts = childrenNamed(citation, 'OtherAbstract').map((other) => ({
    ...(other.attributes.Language ? { language: other.attributes.Language } : {}),
    ...(other.attributes.Type ? { type: other.attributes.Type } : {}),
    text: abstractText(other),
  })).filter((o) => o.text);
  let abstract = abstractText(childAt(article, 'Abstract'));
  if (!abstract && otherAbstracts[0]) {
    abstract = otherAbstracts[0].text;
    meta.abstractSource = 'OtherAbstract';
  }
  if (otherAbstracts.length) meta.otherAbstracts = otherAbstracts;

  const mesh = childrenNamed(childAt(citation, 'MeshHeadingList'), 'MeshHeading').map((h) => textAt(h, 'DescriptorName')).filter(isText);
  const keywords = childrenNamed(citation, 'KeywordList').flatMap((list) => childrenNamed(list, 'Keyword').map(textOf)).filter(isText);
  if (mesh.length) meta.meshHeadings = mesh;
  const publicationTypes = childrenNamed(childAt(article, 'PublicationTypeList'), 'PublicationType').map(textOf).filter(isText);
  if (publicationTypes.length) meta.publicationTypes = publicationTypes;
  const abbreviation = textAt(journal, 'ISOAbbreviation') ?? textAt(citation, 'MedlineJournalInfo/MedlineTA');
  if (abbreviation) meta.journalAbbreviation = abbreviation;
  if (ids.pmc) meta.pmcid = ids.pmc;
  const languages = childrenNamed(article, 'Language').map(textOf).filter(isText);
  if (languages.length > 1) meta.languages = languages;

  const { authors, affiliations } = readAuthors(childAt(article, 'AuthorList'));
  const pubDate = childAt(journalIssue, 'PubDate') ?? childAt(book, 'PubDate');
  return {
    pmid: textAt(citation, 'PMID') ?? ids.pubmed,
    title: textAt(article, 'ArticleTitle') ?? textAt(book, 'BookTitle') ?? '',
    originalTitle: textAt(article, 'VernacularTitle'),
    abstract,
    authors,
    affiliations,
    keywords: [...keywords, ...mesh],
    journal: textAt(journal, 'Title') ?? textAt(book, 'BookTitle'),
    year: parseYear(textAt(pubDate, 'Year') ?? textAt(pubDate, 'MedlineDate')) ?? parseYear(textAt(article, 'ArticleDate/Year')),
    volume: textAt(journalIssue, 'Volume'),
    issue: textAt(journalIssue, 'Issue'),
    pages: pages(childAt(article, 'Pagination')),
    doi: electronicDoi(article) ?? ids.doi,
    articleLanguage: languages[0],
    meta,
  };
}

function isText(value: string | undefined): value is string {
  return Boolean(value);
}

/** Labelled sections become `LABEL: text` paragraphs separated by a newline; unlabelled ones stay as they are. */
function abstractText(abstract: XmlElement | undefined): string {
  return childrenNamed(abstract, 'AbstractText')
    .map((part) => {
      const text = textOf(part);
      const label = part.attributes.Label?.trim();
      return text && label ? `${label}: ${text}` : text;
    })
    .filter(Boolean)
    .join('\n');
}

/** `LastName, ForeName` (the MEDLINE FAU form, so XML and .nbib exports agree), or the collective name. */
function readAuthors(list: XmlElement | undefined): { authors: string[]; affiliations: string[] } {
  const authors: string[] = [];
  const affiliations: string[] = [];
  for (const author of childrenNamed(list, 'Author')) {
    if (author.attributes.ValidYN === 'N') continue;
    const collective = textAt(author, 'CollectiveName');
    const last = textAt(author, 'LastName');
    const first = textAt(author, 'ForeName') ?? textAt(author, 'Initials');
    const suffix = textAt(author, 'Suffix');
    const name = collective ?? [last, first, suffix].filter(Boolean).join(', ');
    if (name) authors.push(name);
    // Older records carry Affiliation directly under Author; current ones wrap it in AffiliationInfo.
    for (const info of [...childrenNamed(author, 'AffiliationInfo'), author]) {
      const affiliation = textAt(info, 'Affiliation');
      if (affiliation) affiliations.push(affiliation);
    }
  }
  return { authors, affiliations };
}

function pages(pagination: XmlElement | undefined): string | undefined {
  const medline = textAt(pagination, 'MedlinePgn');
  if (medline) return medline;
  const start = textAt(pagination, 'StartPage');
  const end = textAt(pagination, 'EndPage');
  return start && end ? `${start}-${end}` : start;
}

function electronicDoi(article: XmlElement | undefined): string | undefined {
  const location = childrenNamed(article, 'ELocationID').find((e) => e.attributes.EIdType === 'doi' && e.attributes.ValidYN !== 'N');
  return location ? textOf(location) : undefined;
}

/** Ids from the article's own ArticleIdList (PubmedData or PubmedBookData), never from its references. */
function articleIds(element: XmlElement): { doi?: string; pmc?: string; pubmed?: string } {
  const data = childAt(element, 'PubmedData') ?? childAt(element, 'PubmedBookData') ?? childAt(element, 'BookDocument');
  const ids: { doi?: string; pmc?: string; pubmed?: string } = {};
  for (const id of childrenNamed(childAt(data, 'ArticleIdList'), 'ArticleId')) {
    const type = id.attributes.IdType;
    if ((type === 'doi' || type === 'pmc' || type === 'pubmed') && !ids[type]) ids[type] = textOf(id);
  }
  return ids;
}
